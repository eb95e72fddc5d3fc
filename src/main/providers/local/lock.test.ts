// The deploy lock after a kill -9: a lock its taker never named (killed between taking and naming it,
// or while letting it go) is taken over at once, with a line; a lock being taken right now is not.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLock } from './lock.js';
import { environmentPathsFor, type EnvironmentPaths } from './paths.js';

let home: string;
let paths: EnvironmentPaths;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-lock-'));
  paths = environmentPathsFor(home, 'demo', 'staging');
});
afterAll(async () => rm(home, { recursive: true, force: true }));

/** The lock a killed deploy leaves: its folder, aged `ageMs`, with or without the owner file. */
async function leftLock(ageMs: number, ownerPid?: number): Promise<void> {
  await mkdir(paths.lock, { recursive: true });
  const at = new Date(Date.now() - ageMs);
  await utimes(paths.lock, at, at);
  if (ownerPid === undefined) await rm(`${paths.lock}.owner`, { force: true });
  else await writeFile(`${paths.lock}.owner`, JSON.stringify({ pid: ownerPid, at: at.toISOString() }));
}

async function timedLock(): Promise<{ ms: number; lines: string[]; ran: boolean }> {
  const lines: string[] = [];
  const started = Date.now();
  const ran = await withLock(paths, async () => true, { onStale: (line) => lines.push(line) });
  return { ms: Date.now() - started, lines, ran: ran === true };
}

describe('a deploy lock left by a killed process', () => {
  it('named by a dead process: taken at once, saying which process', async () => {
    await leftLock(2_000, spawnSync('true').pid);
    const taken = await timedLock();
    expect(taken.ran).toBe(true);
    expect(taken.ms).toBeLessThan(1_000);
    expect(taken.lines).toEqual([expect.stringMatching(/^Recovered a stale deploy lock: process \d+ stopped/)]);
  });

  it('never named (killed right after taking it): taken at once, saying so', async () => {
    await leftLock(2_000);
    const taken = await timedLock();
    expect(taken.ran).toBe(true);
    expect(taken.ms).toBeLessThan(1_000);
    expect(taken.lines).toEqual([expect.stringMatching(/^Recovered a stale deploy lock/)]);
  });

  it('never named, killed a moment ago: the waiting deploy takes it within a second', async () => {
    await leftLock(400);
    const taken = await timedLock();
    expect(taken.ran).toBe(true);
    expect(taken.ms).toBeLessThan(1_000);
    expect(taken.lines).toEqual([expect.stringMatching(/^Recovered a stale deploy lock/)]);
  });

  it('unnamed but only just taken: left to its taker', async () => {
    await leftLock(0);
    const lines: string[] = [];
    const ran = await withLock(paths, async () => true, { wait: false, onStale: (line) => lines.push(line) });
    expect({ ran, lines }).toEqual({ ran: undefined, lines: [] });
    await rm(paths.lock, { recursive: true, force: true });
  });

  it('held by a live process: waited for, not taken', async () => {
    await leftLock(2_000, process.ppid);
    const lines: string[] = [];
    const ran = await withLock(paths, async () => true, { wait: false, onStale: (line) => lines.push(line) });
    expect({ ran, lines }).toEqual({ ran: undefined, lines: [] });
    await rm(paths.lock, { recursive: true, force: true });
  });
});

describe('half-written files of a killed deploy', () => {
  it('go when the lock is next taken; a live writer’s and other files stay', async () => {
    await mkdir(paths.releases, { recursive: true });
    const dead = spawnSync('true').pid;
    const names = {
      dead: `.v7.${dead}.0123456789ab.tmp`,
      live: `.v8.${process.ppid}.0123456789ab.tmp`,
      other: 'v6.json',
    };
    for (const name of Object.values(names)) await writeFile(join(paths.releases, name), '{}');
    await writeFile(join(paths.root, `serving.json.${dead}.ba9876543210.tmp`), '{}');
    expect(await withLock(paths, async () => true)).toBe(true);
    expect((await readdir(paths.releases)).sort()).toEqual([names.live, names.other].sort());
    expect((await readdir(paths.root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
