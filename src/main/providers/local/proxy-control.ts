// The deployer's side of the proxy: start it (detached) when it is not running, swap its upstreams.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { readJsonFile, tailFile, writeFileAtomic } from './files.js';
import type { EnvironmentPaths } from './paths.js';
import { delay, isGroupAlive, stopGroup } from './processes.js';
import type { Upstream } from './proxy-server.js';

const proxyFileSchema = z.object({
  pid: z.number().int(),
  port: z.number().int(),
  adminPort: z.number().int(),
  startedAt: z.string(),
});
export type ProxyInfo = z.infer<typeof proxyFileSchema>;

export interface ProxyHandle extends ProxyInfo {
  readonly token: string;
}

const DAEMON_FILE = 'local-proxy.js';

/**
 * The bundled daemon: next to the running bundle (dist/main, or its parent when this code sits in a
 * chunk), or the repository's dist/main when running from source (tests build it first).
 */
export function findProxyScript(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    for (const candidate of [join(dir, DAEMON_FILE), join(dir, 'dist', 'main', DAEMON_FILE)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new AppError(
    'PROVIDER_UNAVAILABLE',
    `The local proxy (${DAEMON_FILE}) was not found. Run "npm run build" and try again.`,
  );
}

const files = (paths: EnvironmentPaths) => ({
  info: join(paths.proxy, 'proxy.json'),
  token: join(paths.proxy, 'admin-token'),
  log: join(paths.proxy, 'proxy.log'),
});

export async function readProxyInfo(paths: EnvironmentPaths): Promise<ProxyInfo | undefined> {
  const parsed = proxyFileSchema.safeParse(await readJsonFile(files(paths).info));
  return parsed.success ? parsed.data : undefined;
}

async function readToken(paths: EnvironmentPaths): Promise<string | undefined> {
  try {
    return (await readFile(files(paths).token, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function adminCall(
  handle: { adminPort: number; token: string },
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: handle.adminPort,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${handle.token}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error('the proxy did not answer in time')));
    req.once('error', reject);
    req.end(payload);
  });
}

/** The running proxy, if its process is alive and its admin endpoint answers. */
export async function connectProxy(paths: EnvironmentPaths): Promise<ProxyHandle | undefined> {
  const info = await readProxyInfo(paths);
  const token = await readToken(paths);
  if (!info || !token || !isGroupAlive(info.pid)) return undefined;
  try {
    const answer = await adminCall({ adminPort: info.adminPort, token }, 'GET', '/status', undefined, 2_000);
    return answer.status === 200 ? { ...info, token } : undefined;
  } catch {
    return undefined;
  }
}

export async function proxyUpstreams(handle: ProxyHandle): Promise<Upstream[] | undefined> {
  const answer = await adminCall(handle, 'GET', '/status').catch(() => undefined);
  const parsed = z
    .object({ upstreams: z.array(z.object({ id: z.string(), port: z.number() })) })
    .safeParse(answer?.body);
  return parsed.success ? parsed.data.upstreams : undefined;
}

export async function proxyStats(handle: ProxyHandle): Promise<{ retried: number; failed: number } | undefined> {
  const answer = await adminCall(handle, 'GET', '/status').catch(() => undefined);
  const parsed = z.object({ stats: z.object({ retried: z.number(), failed: z.number() }) }).safeParse(answer?.body);
  return parsed.success ? parsed.data.stats : undefined;
}

/** The environment's proxy on `port`, started if needed. A proxy on another port is replaced. */
export async function ensureProxy(paths: EnvironmentPaths, port: number, script: string): Promise<ProxyHandle> {
  const running = await connectProxy(paths);
  if (running && running.port === port) return running;
  if (running) await stopProxy(paths);

  const { info, token: tokenFile, log } = files(paths);
  await mkdir(paths.proxy, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  await writeFileAtomic(tokenFile, `${token}\n`, 0o600);
  await chmod(tokenFile, 0o600);
  await rm(info, { force: true });

  const logHandle = await open(log, 'a');
  let exitCode: number | null | undefined;
  try {
    const child = spawn(process.execPath, [script, '--dir', paths.proxy, '--port', String(port)], {
      detached: true,
      stdio: ['ignore', logHandle.fd, logHandle.fd],
      // Under Electron, execPath is the app binary; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.once('exit', (code) => (exitCode = code));
    child.once('error', () => (exitCode = -1));
    child.unref();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) break;
      const started = await readProxyInfo(paths);
      if (started && started.pid === child.pid) return { ...started, token };
      await delay(25);
    }
    if (exitCode === undefined && child.pid !== undefined) await stopGroup(child.pid, 'SIGKILL', 0);
  } finally {
    await logHandle.close();
  }
  const tail = (await tailFile(log, 3)).join(' ');
  throw new AppError(
    'DEPLOY_FAILED',
    `The proxy could not start on 127.0.0.1:${port}${tail ? `: ${tail}` : ''}. If another program uses that port, give the environment another port.`,
  );
}

/** Swap what the proxy routes to; resolves once the proxy confirms the swap is in effect. */
export async function setUpstreams(handle: ProxyHandle, upstreams: readonly Upstream[]): Promise<void> {
  let answer: { status: number; body: unknown };
  try {
    answer = await adminCall(handle, 'PUT', '/upstreams', { upstreams });
  } catch (error) {
    throw new AppError(
      'DEPLOY_FAILED',
      `The proxy on port ${handle.port} did not take the new instances: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  const confirmed = z.object({ upstreams: z.array(z.object({ id: z.string() })) }).safeParse(answer.body);
  const ids = confirmed.success ? confirmed.data.upstreams.map((u) => u.id).join(',') : '';
  if (answer.status !== 200 || ids !== upstreams.map((u) => u.id).join(',')) {
    throw new AppError(
      'DEPLOY_FAILED',
      `The proxy on port ${handle.port} did not confirm the new instances (HTTP ${answer.status}).`,
    );
  }
}

export async function stopProxy(paths: EnvironmentPaths): Promise<void> {
  const info = await readProxyInfo(paths);
  if (info && isGroupAlive(info.pid)) await stopGroup(info.pid, 'SIGTERM', 3_000);
  await rm(files(paths).info, { force: true });
}
