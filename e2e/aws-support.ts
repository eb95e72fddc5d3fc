// The AWS stand-in and a Slipway server pointed at it, in a throwaway workspace, with a teardown that
// leaves no process or folder behind. Credentials are dummies: the stand-in accepts any signature.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, runCli } from './support/server.js';
import { serveAddress } from './support/serve-address.js';

export const REGION = 'eu-west-1';

export interface AwsWorld {
  /** AWS_ENDPOINT_URL the server was given. */
  readonly endpoint: string;
  readonly origin: string;
  readonly home: string;
  /** An address that opens `route` (e.g. `#/pipelines/new`) and hands the page its token. */
  routeUrl(route: string): string;
  stop(): Promise<void>;
}

interface Started {
  readonly child: ChildProcess;
  readonly stderr: () => string;
}

function start(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'main', script), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Kept short: only read when a process failed to start.
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  return { child, stderr: () => stderr };
}

/** The first line the process prints, parsed as JSON. */
function firstJsonLine<T>({ child, stderr }: Started, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => fail(new Error(`${what} did not start within ${timeoutMs} ms.\n${stderr()}`)),
      timeoutMs,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        done(JSON.parse(line) as T);
      } catch {
        fail(new Error(`${what} printed something other than JSON: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (code ${code}) before it was ready.\n${stderr()}`));
    });
  });
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = (ms: number) =>
    new Promise<boolean>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done(true);
      const timer = setTimeout(() => done(false), ms);
      child.once('exit', () => {
        clearTimeout(timer);
        done(true);
      });
    });
  child.kill(signal);
  if (!(await exited(15_000))) {
    child.kill('SIGKILL');
    await exited(5_000);
  }
}

const loopbackOnly = (url: string, what: string): URL => {
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1') throw new Error(`${what} is not on loopback: ${url}`);
  return parsed;
};

export async function startAwsWorld(): Promise<AwsWorld> {
  const home = await mkdtemp(join(tmpdir(), 'slipway-e2e-aws-'));
  const started: Started[] = [];
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const [standIn, server] = started;
    if (server) await stopProcess(server.child, 'SIGINT');
    // Nothing in this workspace runs locally, but the command is the documented way to leave none behind.
    const result = await runCli(home, ['local:stop']);
    if (standIn) await stopProcess(standIn.child, 'SIGTERM');
    await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    if (result.code !== 0) throw new Error(`slipway local:stop failed: ${result.stderr}`);
  };

  try {
    const standIn = start('../test/aws-standin.js', [], { ...process.env });
    started.push(standIn);
    const { endpoint } = await firstJsonLine<{ endpoint: string }>(standIn, 'The AWS stand-in');
    loopbackOnly(endpoint, 'The AWS stand-in');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SLIPWAY_HOME: home,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: REGION,
      // The machine's own AWS setup must not leak in: no profiles, no session, no SSO cache.
      AWS_CONFIG_FILE: join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE', 'SLIPWAY_ACTOR']) delete env[name];
    const server = start('server.js', ['--port', '0', '--json'], env);
    started.push(server);
    const { origin, token } = await serveAddress(JSON.stringify(await firstJsonLine<object>(server, 'Slipway')));
    return {
      endpoint,
      origin,
      home,
      routeUrl: (route) =>
        `${origin}/${route.startsWith('#') ? route : `#${route}`}&token=${encodeURIComponent(token)}`,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
