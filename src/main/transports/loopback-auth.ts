// Who may talk to the loopback server: a request for this port by a loopback name (no DNS rebinding),
// from this origin when a browser says where it comes from, with the per-launch token for anything
// that reads or changes data.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const createToken = (): string => randomBytes(32).toString('base64url');

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export const allowedHosts = (port: number): readonly string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

export type Denial = { status: 403 | 401; message: string };

/** Host and Origin checks, shared by pages, calls and the socket upgrade. */
export function checkHostAndOrigin(req: IncomingMessage, port: number): Denial | undefined {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts(port).includes(host)) {
    return { status: 403, message: `Slipway answers only to http://127.0.0.1:${port}; open that address.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { status: 403, message: 'Requests from other web pages are refused.' };
  }
  return undefined;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
