// The loopback server: the built renderer for a plain browser, the contract over a WebSocket, and the
// local API over plain HTTP. 127.0.0.1 only; every data request needs the per-launch token.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CALL_PATH, WS_PATH } from '../../shared/contract/bridge.js';
import { AppError, fail } from '../../shared/errors.js';
import type { Router } from '../router/router.js';
import { DisposableStore, toDisposable } from '../util/disposable.js';
import { handleApiCall, sendEnvelope, sendJson } from './http-api.js';
import { openApiDocument } from './openapi.js';
import { OPENAPI_PATH } from './openapi-path.js';
import { bearerToken, checkHostAndOrigin, createToken, tokenMatches, type Denial } from './loopback-auth.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { serveStatic, sendText } from './static-files.js';
import type { PeerSession } from './peer-session.js';
import { attachSocket, MAX_MESSAGE_BYTES } from './ws-peer.js';

export interface LoopbackServerOptions {
  readonly router: Router;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** 0 or absent: a free port chosen by the OS. */
  readonly port?: number;
  /** Unexpected failures go to the main log, never a client. */
  readonly onUnexpectedError?: (error: unknown) => void;
}

export interface LoopbackServer {
  /** What a person opens: the token rides in the fragment, which browsers never send to a server. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /**
   * A single-use address (valid for a minute) that redirects to `url`: what a browser is opened with, so
   * the token never appears in a process's argv (xdg-open, open, start).
   */
  openAddress(): string;
  /** Open sockets, for the tests and the status line. */
  readonly connectionCount: number;
  dispose(): Promise<void>;
}

/** `GET /open/<code>`: a one-time redirect to the signed-in page. */
const OPEN_PATH = '/open/';

const REASONS: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuseUpgrade(socket: Duplex, denial: Denial | { status: 404; message: string }): void {
  const body = `${denial.message}\n`;
  socket.end(
    `HTTP/1.1 ${denial.status} ${REASONS[denial.status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const token = createToken();
  const store = new DisposableStore();
  const sockets = new Map<WebSocket, PeerSession>();
  let port = 0;
  let openApi: Record<string, unknown> | undefined;

  const openCodes = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const denied = checkHostAndOrigin(req, port);
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const isApi = pathname === '/api' || pathname.startsWith('/api/');
    if (denied) {
      if (isApi) sendEnvelope(res, fail(new AppError('UNAUTHORIZED', denied.message)));
      else sendText(res, denied.status, denied.message);
      return;
    }
    if (pathname.startsWith(OPEN_PATH)) {
      const code = pathname.slice(OPEN_PATH.length);
      const expires = openCodes.get(code);
      openCodes.delete(code);
      if (expires === undefined || expires < Date.now()) {
        sendText(
          res,
          404,
          'This address was for one use only. Open Slipway again from the app or `slipway serve --open`.',
        );
        return;
      }
      // The token travels in the redirect, inside this loopback connection, and stays in the fragment.
      res.writeHead(302, { ...SECURITY_HEADERS, Location: `/#token=${token}`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!isApi) {
      await serveStatic(req, res, options.rendererDir, pathname);
      return;
    }
    if (!tokenMatches(token, bearerToken(req))) {
      sendEnvelope(
        res,
        fail(new AppError('UNAUTHORIZED', 'Send the token from server.json as "Authorization: Bearer <token>".')),
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
      return;
    }
    // The API's own description, behind the same token as the API it describes.
    if (pathname === OPENAPI_PATH) {
      sendJson(res, (openApi ??= openApiDocument()));
      return;
    }
    if (pathname.startsWith(`${CALL_PATH}/`) && pathname.length > CALL_PATH.length + 1) {
      await handleApiCall(req, res, options.router, pathname.slice(CALL_PATH.length + 1));
      return;
    }
    sendEnvelope(
      res,
      fail(new AppError('NOT_FOUND', `Call procedures at ${CALL_PATH}/<name>, or open a WebSocket at ${WS_PATH}.`)),
    );
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      options.onUnexpectedError?.(error);
      if (!res.headersSent) sendEnvelope(res, fail(error));
      else res.destroy();
    });
  });
  // Loopback clients are few; a slow or idle one should not pin a socket forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== WS_PATH) {
      refuseUpgrade(socket, { status: 404, message: `The socket lives at ${WS_PATH}.` });
      return;
    }
    const denied = checkHostAndOrigin(req, port);
    if (denied) {
      refuseUpgrade(socket, denied);
      return;
    }
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      refuseUpgrade(socket, {
        status: 401,
        message: 'Open Slipway with the address it printed; the token is missing or wrong.',
      });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = attachSocket(ws, options.router, options.onUnexpectedError);
      sockets.set(ws, session);
      ws.once('close', () => {
        sockets.delete(ws);
        void session.dispose();
      });
    });
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      rejectListen(
        error.code === 'EADDRINUSE'
          ? new AppError(
              'CONFLICT',
              `Port ${options.port} is already in use; pick another with --port, or leave it out.`,
              { cause: error },
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  store.add(
    toDisposable(async () => {
      const sessions = [...sockets.values()];
      for (const ws of sockets.keys()) ws.terminate();
      await Promise.all(sessions.map((session) => session.dispose()));
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      wss.close();
    }),
  );

  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    openAddress() {
      const code = randomBytes(24).toString('base64url');
      openCodes.set(code, Date.now() + 60_000);
      return `${origin}${OPEN_PATH}${code}`;
    },
    get connectionCount() {
      return sockets.size;
    },
    dispose: () => store.dispose(),
  };
}
