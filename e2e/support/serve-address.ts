// `slipway serve --json` prints where it listens and the path of its owner-only server.json; the
// token is only in that file (never on stdout), so a test reads it from there like a script would.
import { readFile } from 'node:fs/promises';

export interface ServeAddress {
  /** `http://127.0.0.1:PORT/#token=…` */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
}

export async function serveAddress(line: string): Promise<ServeAddress> {
  const printed = JSON.parse(line) as { origin?: string; serverFile?: string; token?: unknown; url?: unknown };
  if (printed.token !== undefined || printed.url !== undefined) throw new Error('slipway serve printed its token');
  if (!printed.serverFile || !printed.origin) throw new Error(`Unexpected serve output: ${line}`);
  const file = JSON.parse(await readFile(printed.serverFile, 'utf8')) as ServeAddress;
  const origin = new URL(file.origin);
  if (origin.hostname !== '127.0.0.1' || file.origin !== printed.origin || !file.token) {
    throw new Error(`Unexpected server address in ${printed.serverFile}: ${file.origin}`);
  }
  return { url: file.url, origin: file.origin, token: file.token };
}
