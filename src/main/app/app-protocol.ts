// The window's renderer is served from app://slipway/ (a standard, secure scheme) rather than file://:
// the page gets a real origin, file:// grants nothing, and the CSP travels as a response header (a
// webRequest header hook never sees file:// pages). Pure, so it is tested without Electron.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from '../transports/security-headers.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'slipway';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The file under `rendererDir` that `url` names, or undefined for another host, a traversal or junk. */
export function resolveAppFile(rendererDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  // Encoded separators and NULs have no business in an asset path.
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return file;
}

/** The protocol.handle handler: the renderer's files with the security headers (CSP included); 404 otherwise. */
export async function handleAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const headers = { ...SECURITY_HEADERS };
  const file = request.method === 'GET' ? resolveAppFile(rendererDir, request.url) : undefined;
  const body = file ? await readFile(file).catch(() => undefined) : undefined;
  if (!file || !body) return new Response('Not found', { status: 404, headers });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' },
  });
}
