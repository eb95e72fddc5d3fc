// The app:// handler the window loads from: only the renderer's own files, each with the CSP header.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../transports/security-headers.js';
import { handleAppRequest, RENDERER_URL, resolveAppFile } from './app-protocol.js';

let root: string;
let renderer: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-app-protocol-'));
  renderer = join(root, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Slipway</title>');
  await writeFile(join(renderer, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'server.json'), '{"token":"secret"}');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET'): Promise<Response> =>
  handleAppRequest(renderer, new Request(url, { method }));

describe('app://slipway', () => {
  it('serves the page and its assets with the CSP as a response header', async () => {
    const page = await get(RENDERER_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Slipway</title>');
    const script = await get('app://slipway/assets/main.js');
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('app://slipway/')).status).toBe(200);
  });

  it('refuses anything outside the renderer folder, however it is spelled', async () => {
    for (const url of [
      'app://slipway/../server.json',
      'app://slipway/%2e%2e/server.json',
      'app://slipway/assets/%2e%2e%2f%2e%2e%2fserver.json',
      'app://slipway/..%5cserver.json',
      'app://slipway/%00index.html',
      'app://slipway/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'http://slipway/index.html',
    ]) {
      const response = await get(url);
      expect([url, response.status], url).toEqual([url, 404]);
      expect(await response.text()).not.toContain('secret');
    }
    // The URL parser already folds a literal `..`; an encoded one is refused after decoding.
    expect(resolveAppFile(renderer, 'app://slipway/../server.json')).toBe(join(renderer, 'server.json'));
    expect(resolveAppFile(renderer, 'app://slipway/assets/%2e%2e%2f%2e%2e%2fserver.json')).toBeUndefined();
  });

  it('answers 404, still with the CSP, for missing files and other methods', async () => {
    const missing = await get('app://slipway/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get(RENDERER_URL, 'POST')).status).toBe(404);
  });
});
