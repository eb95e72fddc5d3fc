// The local API: `POST /api/call/<name>` with a bearer token and a JSON body answers with the envelope.
// HTTP status follows the error code, so `curl --fail` does the right thing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, fail, type ErrorCode, type Result } from '../../shared/errors.js';
import type { Router } from '../router/router.js';
import { SECURITY_HEADERS } from './security-headers.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  NO_ROLLBACK: 409,
  PROVIDER_DENIED: 502,
  PROVIDER_UNAVAILABLE: 503,
  RELEASE_PHASE_FAILED: 422,
  DEPLOY_FAILED: 422,
  UNAUTHORIZED: 401,
  STORAGE: 507,
  INTERNAL: 500,
};

export function sendEnvelope(res: ServerResponse, result: Result<unknown>, extra: Record<string, string> = {}): void {
  const body = `${JSON.stringify(result)}\n`;
  res.writeHead(result.ok ? 200 : HTTP_STATUS[result.error.code], {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  router: Router,
  name: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendEnvelope(res, fail(new AppError('INVALID_INPUT', 'Call procedures with POST and a JSON body.')), {
      Allow: 'POST',
    });
    return;
  }
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const tooLarge = fail(
      new AppError('INVALID_INPUT', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`),
    );
    res.shouldKeepAlive = false;
    res.writeHead(413, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
    res.end(`${JSON.stringify(tooLarge)}\n`);
    return;
  }
  let input: unknown = {};
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      sendEnvelope(res, fail(new AppError('INVALID_INPUT', 'The request body is not valid JSON.')));
      return;
    }
  }
  let decodedName: string;
  try {
    decodedName = decodeURIComponent(name);
  } catch {
    decodedName = name;
  }
  sendEnvelope(res, await router.call(decodedName, input, { transport: 'http' }));
}
