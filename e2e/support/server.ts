// A Slipway loopback server in a throwaway workspace, the CLI pointed at the same workspace, and a
// teardown that leaves no process behind.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readlink, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serveAddress } from './serve-address.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SlipwayServer {
  /** The address the server printed: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** SLIPWAY_HOME of this server and of `cli`. */
  readonly home: string;
  /** `slipway ARGS…` against the same workspace. */
  cli(...args: string[]): Promise<CliResult>;
  /** An address that opens `route` (e.g. `#/pipelines/demo`) and hands the page its token. */
  routeUrl(route: string): string;
  stop(): Promise<void>;
}

/**
 * The environment for Slipway processes: this workspace, actions recorded as the OS user, and no git
 * configuration of the machine's (so runs are alike everywhere and no one's email lands in a screenshot).
 */
function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLIPWAY_HOME: home,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  delete env.SLIPWAY_ACTOR;
  return env;
}

export function runCli(home: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'slipway.js'), ...args],
      { cwd: repoRoot, env: childEnv(home), timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => fail(new Error(`Slipway did not start within ${timeoutMs} ms.\n${stderr}`)),
      timeoutMs,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      done(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Slipway exited (code ${code}) before it was ready.\n${stderr}`));
    });
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** Processes (Linux) whose working directory or command line lies inside `home`. */
async function processesInside(home: string): Promise<{ pid: number; what: string }[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: { pid: number; what: string }[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (cwd.startsWith(home) || cmdline.includes(home)) found.push({ pid, what: `${cmdline} (in ${cwd})` });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

export async function startServer(): Promise<SlipwayServer> {
  const home = await mkdtemp(join(tmpdir(), 'slipway-e2e-'));
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'main', 'server.js'), '--port', '0', '--json'], {
    cwd: repoRoot,
    env: childEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGINT');
    if (!(await exited(child, 15_000))) {
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
    // Environments outlive the server by design; this workspace is done with them.
    const result = await runCli(home, ['local:stop']);
    const leftovers = await processesInside(home);
    for (const p of leftovers) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    if (result.code !== 0) throw new Error(`slipway local:stop failed: ${result.stderr}`);
    if (leftovers.length > 0) {
      throw new Error(`Processes outlived local:stop:\n${leftovers.map((p) => `  ${p.pid} ${p.what}`).join('\n')}`);
    }
  };

  try {
    const line = await firstLine(child, 30_000);
    const { url, origin, token } = await serveAddress(line);
    return {
      url,
      origin,
      token,
      home,
      cli: (...args) => runCli(home, args),
      routeUrl: (route) =>
        `${origin}/${route.startsWith('#') ? route : `#${route}`}&token=${encodeURIComponent(token)}`,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
