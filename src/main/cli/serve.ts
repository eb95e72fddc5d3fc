// `slipway serve`: the workspace behind the loopback server, for a browser, the local API and scripts.
// Loopback only by design: there is no --host.
import type { CliIo } from './io.js';
import { openBrowser } from './open-browser.js';
import { rendererDir as defaultRendererDir } from './package-root.js';

export interface ServeOptions {
  readonly home: string;
  readonly port?: number;
  readonly open?: boolean;
  readonly json?: boolean;
  readonly rendererDir?: string;
  /** Stops the server as SIGINT would (tests). */
  readonly signal?: AbortSignal;
}

export async function serve(options: ServeOptions, io: CliIo): Promise<number> {
  const [{ createServices }, { startLoopbackServer }, serverFile] = await Promise.all([
    import('../services.js'),
    import('../transports/loopback-server.js'),
    import('../transports/server-file.js'),
  ]);
  const services = await createServices({ home: options.home, recover: true });
  let server;
  try {
    server = await startLoopbackServer({
      router: services.router,
      rendererDir: options.rendererDir ?? defaultRendererDir(),
      ...(options.port === undefined ? {} : { port: options.port }),
      onUnexpectedError: (error) =>
        io.stderr(`slipway: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`),
    });
  } catch (error) {
    await services.dispose();
    throw error;
  }

  const info = {
    url: server.url,
    origin: server.origin,
    port: server.port,
    token: server.token,
    pid: process.pid,
    by: 'serve' as const,
    startedAt: new Date(io.now()).toISOString(),
  };
  await serverFile.writeServerFile(options.home, info);

  // The token stays in the owner-only server.json: never on stdout (terminal scrollback, CI logs).
  const serverJson = serverFile.serverFilePath(options.home);
  if (options.json)
    io.stdout(`${JSON.stringify({ origin: info.origin, port: info.port, pid: info.pid, serverFile: serverJson })}\n`);
  else
    io.stdout(
      `Slipway is running at ${server.origin}\nOpen it signed in with \`slipway serve --open\`; scripts find the token in ${serverJson}.\n`,
    );
  // A one-time address: the browser is started without the token in its argv (visible in \`ps\`).
  if (options.open && !(await openBrowser(server.openAddress()))) {
    io.stderr('Could not open a browser here; open the address above yourself.\n');
  }

  const why = await io.untilStopped(options.signal);
  if (why !== 'abort') io.stderr('Stopping Slipway…\n');
  await server.dispose();
  await services.dispose();
  await serverFile.removeServerFile(options.home);
  return 0;
}
