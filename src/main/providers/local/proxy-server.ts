// The environment's reverse proxy: a stable port in front of whichever instances serve now. The
// deployer swaps upstreams through an admin endpoint and gets an answer only once the swap is in
// effect, so it never stops an instance that can still be picked for a new request.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { z } from 'zod';

export const upstreamSchema = z.object({ id: z.string().min(1).max(200), port: z.number().int().min(1).max(65_535) });
export type Upstream = z.infer<typeof upstreamSchema>;
export const upstreamsBodySchema = z.object({ upstreams: z.array(upstreamSchema).max(64) });

export interface ProxyServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly adminToken: string;
  readonly upstreams?: readonly Upstream[];
  /** Called before a swap is acknowledged (the daemon persists the list here). */
  readonly onSwap?: (upstreams: readonly Upstream[]) => Promise<void> | void;
  readonly onShutdownRequest?: () => void;
}

export interface ProxyStats {
  /** Attempts that failed on one upstream and went to another: a rollout done right causes none. */
  readonly retried: number;
  /** Requests answered 502 because no upstream answered. */
  readonly failed: number;
}

export interface ProxyServer {
  readonly port: number;
  readonly adminPort: number;
  upstreams(): readonly Upstream[];
  stats(): ProxyStats;
  close(): Promise<void>;
}

// Per RFC 9110 these describe one connection and are not forwarded.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_ATTEMPTS = 20;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  }
  const remote = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
  headers['x-forwarded-proto'] = 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  return headers;
}

export async function startProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  let current: readonly Upstream[] = options.upstreams ?? [];
  let next = 0;
  const stats = { retried: 0, failed: 0 };
  // Requests sent to an upstream that have no answer yet: a swap is acknowledged only once the
  // removed upstreams have none, so an instance told to stop has accepted everything meant for it.
  const waiting = new Map<string, number>();
  const track = (id: string, delta: number): void => {
    const count = (waiting.get(id) ?? 0) + delta;
    if (count <= 0) waiting.delete(id);
    else waiting.set(id, count);
  };
  const expectedToken = digest(options.adminToken);

  const pick = (): Upstream | undefined => {
    if (current.length === 0) return undefined;
    next = (next + 1) % current.length;
    return current[next];
  };

  const proxy = (req: IncomingMessage, res: ServerResponse, attempt: number): void => {
    const upstream = pick();
    if (!upstream) {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('No release is running in this environment yet. Deploy one with Slipway.\n');
      return;
    }
    let connected = false;
    let responded = false;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      track(upstream.id, -1);
    };
    track(upstream.id, 1);
    // A fresh connection per request: an instance that is draining never gets a reused socket.
    const upstreamReq = request({
      host: '127.0.0.1',
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req),
      agent: false,
    });
    upstreamReq.once('socket', (socket: Socket) => {
      const start = (): void => {
        connected = true;
        // The body is read only once a connection exists, so a refused attempt can be retried with it.
        if (req.readableEnded) upstreamReq.end();
        else req.pipe(upstreamReq);
      };
      if (socket.connecting) socket.once('connect', start);
      else start();
    });
    upstreamReq.once('response', (upstreamRes) => {
      responded = true;
      settle();
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, headers);
      upstreamRes.pipe(res);
      upstreamRes.once('error', () => res.destroy());
    });
    upstreamReq.once('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (responded) {
        res.destroy();
        return;
      }
      // Refused: nothing was sent, any method may go elsewhere. Reset before an answer: safe to repeat
      // only for idempotent methods without a body.
      const retryable =
        !connected || (error.code === 'ECONNRESET' && idempotent.has(req.method ?? '') && req.readableEnded);
      if (retryable && attempt + 1 < MAX_ATTEMPTS) {
        stats.retried++;
        const wait = attempt < current.length ? 0 : 50;
        setTimeout(() => proxy(req, res, attempt + 1), wait);
        return;
      }
      stats.failed++;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end("The app did not answer. Check the environment's instances and logs in Slipway.\n");
    });
    res.once('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
      settle();
    });
  };

  const upgrade = (req: IncomingMessage, client: Duplex, head: Buffer): void => {
    const upstream = pick();
    if (!upstream) {
      client.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    const socket = connect(upstream.port, '127.0.0.1', () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i] ?? ''}: ${req.rawHeaders[i + 1] ?? ''}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) socket.write(head);
      socket.pipe(client).pipe(socket);
    });
    socket.once('error', () => client.destroy());
    client.once('error', () => socket.destroy());
  };

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    return timingSafeEqual(digest(token), expectedToken);
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 64 * 1024) reject(new Error('body too large'));
      });
      req.once('end', () => resolve(body));
      req.once('error', reject);
    });

  const json = (res: ServerResponse, status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  const admin = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req)) return json(res, 401, { error: 'unauthorized' });
    if (req.method === 'GET' && req.url === '/status')
      return json(res, 200, { pid: process.pid, port: publicPort, upstreams: current, stats });
    if (req.method === 'PUT' && req.url === '/upstreams') {
      const parsed = upstreamsBodySchema.safeParse(JSON.parse(await readBody(req)));
      if (!parsed.success) return json(res, 400, { error: 'invalid upstreams' });
      await options.onSwap?.(parsed.data.upstreams);
      const kept = new Set(parsed.data.upstreams.map((upstream) => upstream.id));
      const removed = current.filter((upstream) => !kept.has(upstream.id)).map((upstream) => upstream.id);
      current = parsed.data.upstreams;
      next = 0;
      // From here on no new request picks a removed upstream; wait (briefly) for those already sent.
      const deadline = Date.now() + 5_000;
      while (removed.some((id) => waiting.has(id)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      return json(res, 200, { upstreams: current });
    }
    if (req.method === 'POST' && req.url === '/shutdown') {
      json(res, 200, { ok: true });
      options.onShutdownRequest?.();
      return;
    }
    json(res, 404, { error: 'not found' });
  };

  const publicServer = createServer((req, res) => proxy(req, res, 0));
  publicServer.on('upgrade', upgrade);
  const adminServer = createServer((req, res) => {
    admin(req, res).catch(() => json(res, 400, { error: 'bad request' }));
  });

  const listen = (server: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });

  const publicPort = await listen(publicServer, options.port);
  let adminPort: number;
  try {
    adminPort = await listen(adminServer, 0);
  } catch (error) {
    publicServer.close();
    throw error;
  }

  const closeServer = (server: Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    port: publicPort,
    adminPort,
    upstreams: () => current,
    stats: () => ({ ...stats }),
    close: async () => {
      await Promise.all([closeServer(publicServer), closeServer(adminServer)]);
    },
  };
}
