// Fault injection against the built CLI: a read-only and a full SLIPWAY_HOME (tmpfs, when this machine
// lets us mount one), damaged files of each kind, and kill -9 of a deploying CLI at 10 random points of
// its steps.
// Each fault must give a clear message naming the file or the fix, valid JSON with --json, no stack, no
// .tmp left; after a kill, `status` tells what the proxy serves, no release stays pending, and the next
// deploy starts at once with a line saying it recovered the lock. Prints a FAULT SUMMARY line.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopAllLocal } from '../providers/local/index.js';

const BIN = join(process.cwd(), 'bin', 'slipway.js');
const counts = {
  faults: 0,
  clear: 0,
  unclear: 0,
  stacks: 0,
  tmpLeft: 0,
  kills: 0,
  pendingLeft: 0,
  statusWrong: 0,
  locksLeft: 0,
  staleRecovered: 0,
  maxNextStartMs: 0,
  skipped: [] as string[],
};
const homes: string[] = [];
const mounts: string[] = [];

function cli(home: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, SLIPWAY_HOME: home, SLIPWAY_DEBUG: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const hasStack = (text: string): boolean => /\n\s+at .+:\d+:\d+/.test(text);

async function tmpFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string, depth: number): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name === 'slugs' || entry.name === 'repos' || entry.name === 'node_modules') continue;
      if (entry.name.endsWith('.tmp')) found.push(join(path, entry.name));
      else if (entry.isDirectory() && depth < 8) await walk(join(path, entry.name), depth + 1);
    }
  };
  await walk(dir, 0);
  return found;
}

/** One fault: the command must fail with valid JSON naming `mustName`, no stack, no .tmp. */
async function expectClear(label: string, home: string, args: string[], mustName: RegExp): Promise<void> {
  counts.faults++;
  const { code, stdout, stderr } = cli(home, [...args, '--json']);
  let json: { ok?: boolean; error?: { code?: string; message?: string } } | undefined;
  try {
    json = JSON.parse(stdout) as typeof json;
  } catch {
    json = undefined;
  }
  const message = json?.error?.message ?? '';
  const clear = code === 1 && json?.ok === false && json.error?.code !== 'INTERNAL' && mustName.test(message);
  if (clear) counts.clear++;
  else {
    counts.unclear++;
    console.log(`unclear (${label}): exit ${code} ${stdout.slice(0, 300)} ${stderr.slice(0, 300)}`);
  }
  if (hasStack(stderr)) counts.stacks++;
  const left = await tmpFiles(home);
  counts.tmpLeft += left.length;
  expect({ label, clear, stack: hasStack(stderr), left }).toEqual({ label, clear: true, stack: false, left: [] });
}

async function newHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'slipway-fault-'));
  homes.push(home);
  return home;
}

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}

/** A deploy (config:set) in the background: resolves `firstStep` at its first step line (it holds the lock then). */
function spawnDeploy(home: string, pair: string) {
  const child = spawn(process.execPath, [BIN, 'config:set', 'demo', '--env', 'staging', pair], {
    env: { ...process.env, SLIPWAY_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stderr = '';
  const firstStep = new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      if (/^→/m.test(stderr)) resolve();
    });
    void exited.then(() => resolve());
  });
  return { process: child, exited, firstStep };
}

/** Sets the mode of `dir` and every folder under it (files keep theirs: folders decide what is writable). */
async function chmodTree(dir: string, mode: number): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await chmodTree(join(dir, entry.name), mode);
  }
  await chmod(dir, mode);
}

afterAll(async () => {
  for (const home of homes) await stopAllLocal(home).catch(() => undefined);
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
  for (const home of homes) await rm(home, { recursive: true, force: true }).catch(() => undefined);
  console.log(
    `FAULT SUMMARY faults=${counts.faults} clear=${counts.clear} unclear=${counts.unclear} stacks=${counts.stacks} tmp_left=${counts.tmpLeft} kills=${counts.kills} pending_left=${counts.pendingLeft} status_wrong=${counts.statusWrong} locks_left=${counts.locksLeft} stale_lock_recovered=${counts.staleRecovered} max_next_deploy_start_ms=${counts.maxNextStartMs} skipped=${counts.skipped.join(',') || 'none'}`,
  );
});

describe('faults', () => {
  it('read-only and full home: STORAGE naming the file and the fix', async () => {
    const home = await newHome();
    const mounted = mountTmpfs(home, '64m');
    expect(cli(home, ['pipelines', '--json']).code).toBe(0);
    // Without root (no tmpfs) the home is made read-only by its mode instead, which root would ignore.
    if (mounted) execFileSync('mount', ['-o', 'remount,ro', home]);
    else await chmodTree(home, 0o555);
    await expectClear(
      'read-only deploy',
      home,
      ['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD'],
      /read-only|permission|SLIPWAY_HOME/,
    );
    await expectClear(
      'read-only config',
      home,
      ['config:set', 'demo', '--env', 'staging', 'A=1'],
      /read-only|permission|SLIPWAY_HOME|no release/,
    );
    if (!mounted) {
      await chmodTree(home, 0o755);
      const why = `mounting a tmpfs needs root (uid ${process.getuid?.() ?? '?'})`;
      console.log(`FAULT skipped: the full-disk (ENOSPC) case: ${why}`);
      counts.skipped.push('enospc-needs-root');
      return;
    }
    execFileSync('mount', ['-o', 'remount,rw', home]);
    // Fill the disk, then ask for writes.
    spawnSync('dd', ['if=/dev/zero', `of=${join(home, 'filler')}`, 'bs=1M', 'count=200'], { stdio: 'ignore' });
    await expectClear('full deploy', home, ['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD'], /full|ENOSPC/);
  }, 300_000);

  it('damaged files of each kind: named, with what to do; the rest keeps working', async () => {
    const home = await newHome();
    expect(cli(home, ['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD~1']).code).toBe(0);
    expect(cli(home, ['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD']).code).toBe(0);
    const env = join(home, 'local', 'pipelines', 'demo', 'staging');
    const v1 = join(env, 'releases', 'v1.json');
    const goodV1 = await readFile(v1);
    await writeFile(v1, goodV1.subarray(0, 30));
    await expectClear('damaged v1.json', home, ['releases', 'demo', '--env', 'staging'], /v1\.json is damaged/);
    const status = JSON.parse(cli(home, ['status', 'demo', '--json']).stdout) as {
      environments: { current?: { version: number } }[];
    };
    expect(status.environments[0]?.current?.version).toBe(2);
    await writeFile(v1, goodV1);
    const serving = join(env, 'serving.json');
    const goodServing = await readFile(serving);
    await writeFile(serving, Buffer.from([0, 1, 2, 250, 251]));
    counts.faults++;
    const warned = cli(home, ['status', 'demo', '--json']);
    const named = warned.code === 0 && warned.stdout.includes('serving.json is damaged');
    if (named) counts.clear++;
    else counts.unclear++;
    expect(named).toBe(true);
    await writeFile(serving, goodServing);
    const workspace = join(home, 'workspace.json');
    const good = await readFile(workspace);
    for (const [label, damage] of [
      ['truncated workspace.json', good.subarray(0, 50)],
      ['binary workspace.json', Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2])],
    ] as const) {
      await writeFile(workspace, damage);
      await expectClear(label, home, ['status', 'demo'], /workspace\.json is damaged.*[Mm]ove it away/);
    }
    await writeFile(workspace, good);
  }, 300_000);

  it('kill -9 of a deploying CLI at 10 random points: the truth, nothing pending, the next deploy at once', async () => {
    const home = await newHome();
    expect(cli(home, ['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD']).code).toBe(0);
    // How long a deploy holds the lock: from its first step to its exit.
    const baseline = spawnDeploy(home, 'ROUND=0');
    await baseline.firstStep;
    const stepAt = Date.now();
    expect(await baseline.exited).toBe(0);
    const holdMs = Date.now() - stepAt;
    const env = join(home, 'local', 'pipelines', 'demo', 'staging');
    for (let round = 1, attempts = 0; round <= 10 && attempts < 30; attempts++) {
      // Each kill lands while the deploy runs (it holds the lock): at a random point of its steps.
      const child = spawnDeploy(home, `ROUND=${round}`);
      await child.firstStep;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * holdMs)));
      // A deploy that finished before its kill point is no kill: that point is drawn again.
      const killed =
        child.process.exitCode === null && child.process.signalCode === null && child.process.kill('SIGKILL');
      await child.exited;
      if (!killed) continue;
      counts.kills++;
      // What the kill left: a lock must be recovered by the first command that takes it, which says so.
      const lockWasLeft = (await readdir(env)).includes('deploy.lock');
      if (lockWasLeft) counts.locksLeft++;

      const status = JSON.parse(cli(home, ['status', 'demo', '--json']).stdout) as {
        environments: { current?: { version: number }; warnings: string[] }[];
      };
      // Status takes over the dead process's lock when it left a release pending, and says so.
      const statusSaid = status.environments[0]?.warnings.some((w) => /Recovered a stale deploy lock/.test(w));
      const servingFile = JSON.parse(await readFile(join(env, 'serving.json'), 'utf8')) as { version: number };
      if (status.environments[0]?.current?.version !== servingFile.version) counts.statusWrong++;
      const releases = JSON.parse(cli(home, ['releases', 'demo', '--env', 'staging', '--json']).stdout) as {
        status: string;
      }[];
      counts.pendingLeft += releases.filter((r) => r.status === 'pending').length;
      const left = await tmpFiles(home);
      counts.tmpLeft += left.length;
      if (left.length > 0) console.log(`kill ${round}: left ${left.map((f) => f.slice(home.length)).join(', ')}`);

      // The next deploy: time to its first step (it holds the lock by then), and whether it said it
      // recovered a lock.
      const next = spawn(process.execPath, [BIN, 'config:set', 'demo', '--env', 'staging', `AFTER=${round}`], {
        env: { ...process.env, SLIPWAY_HOME: home },
      });
      const t0 = Date.now();
      let firstStepMs = -1;
      let stderr = '';
      next.stderr.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
        if (firstStepMs < 0 && /^(→|✓)/m.test(stderr)) firstStepMs = Date.now() - t0;
      });
      const code = await new Promise<number | null>((resolve) => next.once('exit', resolve));
      expect({ round, code, stderr: code === 0 ? '' : stderr }).toEqual({ round, code: 0, stderr: '' });
      const deploySaid = /Recovered a stale deploy lock/.test(stderr);
      // Told once: by status or by the deploy, never by both, never by neither.
      if (lockWasLeft && statusSaid !== deploySaid) counts.staleRecovered++;
      expect({ round, lockWasLeft, told: [statusSaid, deploySaid].filter(Boolean).length }).toEqual({
        round,
        lockWasLeft,
        told: lockWasLeft ? 1 : 0,
      });
      counts.maxNextStartMs = Math.max(counts.maxNextStartMs, firstStepMs);
      console.log(
        `kill ${round}: lock_left=${lockWasLeft} told_by=${statusSaid ? 'status' : deploySaid ? 'deploy' : 'none'} next_deploy_start_ms=${firstStepMs}`,
      );
      round++;
    }
    expect(counts.kills).toBe(10);
    expect(counts.statusWrong).toBe(0);
    expect(counts.pendingLeft).toBe(0);
    expect(counts.tmpLeft).toBe(0);
    expect(counts.maxNextStartMs).toBeLessThan(1_000);
  }, 600_000);
});
