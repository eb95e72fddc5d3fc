// The proxy on its own: routing, retries on a refused upstream, the guarded admin endpoint.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './processes.js';
import { startProxyServer, type ProxyServer } from './proxy-server.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

async function app(name: string): Promise<number> {
  const server: Server = createServer((req, res) =>
    res.end(`${name} ${req.method} ${req.url} ${req.headers['x-forwarded-for'] ? 'forwarded' : ''}`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  disposers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function proxy(upstreams: { id: string; port: number }[] = []): Promise<ProxyServer> {
  const server = await startProxyServer({ port: 0, adminToken: 'secret-token', upstreams });
  disposers.push(() => server.close());
  return server;
}

const admin = (server: ProxyServer, method: string, path: string, token: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${server.adminPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('the environment proxy', () => {
  it('answers 503 with a sentence while nothing is deployed', async () => {
    const server = await proxy();
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/No release is running/);
  });

  it('forwards method, path and client address, and spreads requests over upstreams', async () => {
    const server = await proxy([
      { id: 'a', port: await app('a') },
      { id: 'b', port: await app('b') },
    ]);
    const bodies = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`http://127.0.0.1:${server.port}/x?y=1`, { method: 'DELETE' }).then((r) => r.text()),
      ),
    );
    expect(new Set(bodies)).toEqual(new Set(['a DELETE /x?y=1 forwarded', 'b DELETE /x?y=1 forwarded']));
  });

  it('retries a refused connection on another upstream, body included', async () => {
    const dead = await freePort();
    const echo = createServer((req, res) => req.pipe(res));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    disposers.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const address = echo.address();
    const server = await proxy([
      { id: 'dead', port: dead },
      { id: 'echo', port: typeof address === 'object' && address ? address.port : 0 },
    ]);
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST', body: `payload ${i}` });
      expect(await response.text()).toBe(`payload ${i}`);
    }
    expect(server.stats().failed).toBe(0);
    expect(server.stats().retried).toBeGreaterThan(0);
  });

  it('swaps upstreams only for the holder of the admin token, and confirms the swap', async () => {
    const server = await proxy([{ id: 'a', port: await app('a') }]);
    const port = await app('b');
    expect((await admin(server, 'PUT', '/upstreams', 'wrong', { upstreams: [{ id: 'b', port }] })).status).toBe(401);
    expect(server.upstreams().map((u) => u.id)).toEqual(['a']);

    const swapped = await admin(server, 'PUT', '/upstreams', 'secret-token', { upstreams: [{ id: 'b', port }] });
    expect(await swapped.json()).toEqual({ upstreams: [{ id: 'b', port }] });
    expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toMatch(/^b GET/);
    expect(
      (await admin(server, 'PUT', '/upstreams', 'secret-token', { upstreams: [{ id: '', port: 0 }] })).status,
    ).toBe(400);
  });
});
