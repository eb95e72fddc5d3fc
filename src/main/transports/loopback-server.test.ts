import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CALL_PATH, WS_PATH } from '../../shared/contract/bridge.js';
import { serverMessageSchema, type ServerMessage } from '../../shared/contract/wire.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { createRouterFixture, sampleDeployment, type RouterFixture } from './router-fixture.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  server: LoopbackServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (server: LoopbackServer, name: string, body: unknown, token = server.token) =>
  http(server, `${CALL_PATH}/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

class Client {
  readonly messages: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(serverMessageSchema.parse(JSON.parse(String(data))));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
  async next(match: (message: ServerMessage) => boolean): Promise<ServerMessage> {
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }
}

function connect(
  server: LoopbackServer,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<Client> {
  const token = options.token ?? server.token;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${WS_PATH}?token=${encodeURIComponent(token)}`, {
    headers: options.headers ?? {},
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(new Client(ws)));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((wake) => setTimeout(wake, 5));
}

describe('loopback server', () => {
  let dir: string;
  let fixture: RouterFixture;
  let server: LoopbackServer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-loopback-'));
    await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Slipway</title>');
    await writeFile(join(dir, 'renderer', 'assets', 'app-1a2b.js'), 'console.log("hi")');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
    fixture = createRouterFixture();
    server = await startLoopbackServer({ router: fixture.router, rendererDir: join(dir, 'renderer') });
  });

  afterEach(async () => {
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback and hands out a URL with the token in the fragment only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer without a token, with types, caching and a CSP', async () => {
    const page = await http(server, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Slipway</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const asset = await http(server, '/assets/app-1a2b.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');

    expect((await http(server, '/assets/missing.js')).status).toBe(404);
    expect((await http(server, '/pipelines/shop')).body).toContain('<title>Slipway</title>');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const reply = await http(server, path);
      expect(reply.body).not.toContain('do not serve');
      expect([400, 404]).toContain(reply.status);
    }
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await http(server, '/', { headers: { Host: `evil.example:${server.port}` } })).status).toBe(403);
    expect((await http(server, '/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
    const foreign = await http(server, `${CALL_PATH}/system.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, Origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(401);
    expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    await expect(connect(server, { headers: { Origin: 'https://evil.example' } })).rejects.toThrow('403');
    await expect(connect(server, { headers: { Host: `evil.example:${server.port}` } })).rejects.toThrow('403');
    const sameOrigin = await connect(server, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
    sameOrigin.ws.close();
  });

  it('answers local API calls with the envelope, and only with the token', async () => {
    const good = await call(server, 'system.info', {});
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toEqual({
      ok: true,
      value: { version: '1.2.3', actor: { user: 'ada' }, home: '/tmp/slipway', auditStore: 'folder' },
    });
    expect(fixture.transports).toEqual(['http']);

    for (const token of ['', 'nope', `${server.token}x`, server.token.slice(1)]) {
      const denied = await call(server, 'system.info', {}, token);
      expect(denied.status).toBe(401);
      expect(JSON.parse(denied.body).error.code).toBe('UNAUTHORIZED');
    }
    const missing = await http(server, `${CALL_PATH}/system.info`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(fixture.transports).toEqual(['http']);
  });

  it('maps error codes to HTTP statuses and never leaks unexpected errors', async () => {
    const notFound = await call(server, 'pipelines.get', { pipeline: 'nope' });
    expect(notFound.status).toBe(404);
    expect(JSON.parse(notFound.body)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no pipeline named "nope".' },
    });

    const invalid = await call(server, 'pipelines.get', { pipeline: 'Not Valid' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.code).toBe('INVALID_INPUT');

    const broken = await call(server, 'pipelines.list', {});
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain('/secret/path');

    const notJson = await http(server, `${CALL_PATH}/system.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: '{nope',
    });
    expect(JSON.parse(notJson.body).error.message).toContain('not valid JSON');

    const huge = await http(server, `${CALL_PATH}/system.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    expect(huge.status).toBe(413);

    const get = await http(server, `${CALL_PATH}/system.info`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(get.status).toBe(400);
  });

  it('refuses a socket without the right token', async () => {
    await expect(connect(server, { token: 'wrong' })).rejects.toThrow('401');
    await expect(connect(server, { token: '' })).rejects.toThrow('401');
  });

  it('carries calls and streams over the socket', async () => {
    const client = await connect(server);
    client.send({ t: 'call', id: 1, name: 'system.info', input: {} });
    client.send({ t: 'call', id: 2, name: 'pipelines.get', input: { pipeline: 'gone' } });
    expect(await client.next((m) => m.t === 'result' && m.id === 1)).toMatchObject({
      result: { ok: true, value: { version: '1.2.3' } },
    });
    expect(await client.next((m) => m.t === 'result' && m.id === 2)).toMatchObject({
      result: { ok: false, error: { code: 'NOT_FOUND' } },
    });

    client.send({ t: 'sub', id: 3, name: 'deployments.watch', input: {} });
    await until(() => fixture.open.get('deployments.watch') === 1);
    fixture.emitDeployment(sampleDeployment('d1', 'running'));
    expect(await client.next((m) => m.t === 'event' && m.id === 3)).toMatchObject({
      event: { id: 'd1', status: 'running' },
    });

    client.send({ t: 'unsub', id: 3 });
    expect(await client.next((m) => m.t === 'end' && m.id === 3)).toEqual({ t: 'end', id: 3 });
    expect(fixture.open.get('deployments.watch')).toBe(0);
    client.ws.close();
  });

  it('ends a stream it cannot start with an error', async () => {
    const client = await connect(server);
    client.send({ t: 'sub', id: 7, name: 'nope.watch', input: {} });
    expect(await client.next((m) => m.id === 7)).toMatchObject({ t: 'end', id: 7, error: { code: 'NOT_FOUND' } });
    client.send({ t: 'sub', id: 8, name: 'deployments.watch', input: { pipeline: 'Bad Name' } });
    expect(await client.next((m) => m.id === 8)).toMatchObject({ t: 'end', error: { code: 'INVALID_INPUT' } });
    client.ws.close();
  });

  it('disposes every stream of a socket when it closes', async () => {
    const client = await connect(server);
    client.send({ t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    client.send({ t: 'sub', id: 2, name: 'deployments.watch', input: { pipeline: 'shop' } });
    await until(() => fixture.open.get('deployments.watch') === 2);
    client.ws.close();
    await until(() => fixture.open.get('deployments.watch') === 0);
    expect(server.connectionCount).toBe(0);
  });

  it('answers malformed messages on their id, and closes on garbage without crashing', async () => {
    const client = await connect(server);
    client.send({ t: 'call', id: 4 });
    expect(await client.next((m) => m.id === 4)).toMatchObject({
      t: 'result',
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });

    const bye = closed(client.ws);
    client.send('{not json');
    expect(await bye).toEqual({ code: 1007, reason: 'INVALID_INPUT: A message was not valid JSON.' });

    const other = await connect(server);
    const bye2 = closed(other.ws);
    other.send({ hello: 'there' });
    expect((await bye2).code).toBe(1008);

    const still = await connect(server);
    still.send({ t: 'call', id: 1, name: 'system.info', input: {} });
    expect(await still.next((m) => m.id === 1)).toMatchObject({ result: { ok: true } });
    still.ws.close();
  });

  it('disposes open streams and sockets on dispose', async () => {
    const client = await connect(server);
    client.send({ t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    await until(() => fixture.open.get('deployments.watch') === 1);
    const bye = closed(client.ws);
    await server.dispose();
    expect(fixture.open.get('deployments.watch')).toBe(0);
    await bye;
  });
});

describe('opening the browser without the token in argv', () => {
  let server: LoopbackServer;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-open-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
    server = await startLoopbackServer({ router: createRouterFixture().router, rendererDir: dir });
  });
  afterEach(async () => {
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('a one-time address redirects once to the signed-in page, then is refused', async () => {
    const address = server.openAddress();
    expect(address).not.toContain(server.token);
    const first = await http(server, new URL(address).pathname, { headers: { Host: `127.0.0.1:${server.port}` } });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`/#token=${server.token}`);
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await http(server, new URL(address).pathname, { headers: { Host: `127.0.0.1:${server.port}` } });
    expect(again.status).toBe(404);
    expect(again.body).not.toContain(server.token);
  });
});
