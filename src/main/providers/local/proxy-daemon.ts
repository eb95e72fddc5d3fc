// Entry of the per-environment proxy process (bundled as dist/main/local-proxy.js). It runs detached,
// so environments keep serving after the Slipway process that deployed them exits.
//   node local-proxy.js --dir <env>/proxy --port <port>
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonAtomic } from './files.js';
import { startProxyServer, upstreamsBodySchema, type Upstream } from './proxy-server.js';

function argument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

async function main(): Promise<void> {
  const dir = argument('dir');
  const port = Number(argument('port'));
  const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
  const saved = upstreamsBodySchema.safeParse(await readJsonFile(join(dir, 'upstreams.json')));
  const upstreams: readonly Upstream[] = saved.success ? saved.data.upstreams : [];

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };

  const server = await startProxyServer({
    port,
    adminToken: token,
    upstreams,
    // Persisted before the swap is acknowledged, so a restarted proxy routes where the last deploy said.
    onSwap: (next) => writeJsonAtomic(join(dir, 'upstreams.json'), { upstreams: next }),
    onShutdownRequest: stop,
  });
  await writeJsonAtomic(join(dir, 'proxy.json'), {
    pid: process.pid,
    port: server.port,
    adminPort: server.adminPort,
    startedAt: new Date().toISOString(),
  });
  console.log(`Proxy listening on 127.0.0.1:${server.port} (pid ${process.pid})`);

  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // When the workspace folder is deleted nobody can reach this proxy any more: leave.
  setInterval(() => {
    if (!existsSync(dir)) stop();
  }, 2_000);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? 'The port is already in use by another program.'
      : `The proxy could not start: ${String(error)}`,
  );
  process.exit(1);
});
