// A deploy killed (kill -9) right after the proxy switched: the next command — any command, not only a
// window or `serve` starting — tells the truth about what serves, settles the pending release, and the
// next deploy takes the dead process's lock at once, saying so.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import type { Deployment } from '../../shared/model.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';

let home: string;
let services: Services;

async function call<N extends ProcedureName>(name: N, input: unknown): Promise<Result<ProcedureOutput<N>>> {
  return (await services.router.call(name, input, { transport: 'cli' })) as Result<ProcedureOutput<N>>;
}
async function value<N extends ProcedureName>(name: N, input: unknown): Promise<ProcedureOutput<N>> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const staging = { pipeline: 'demo', environment: 'staging' };
const envDir = (): string => join(home, 'local', 'pipelines', 'demo', 'staging');
/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync('true').pid ?? 999_999;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-interrupted-'));
  services = await createServices({ home, log: () => undefined });
  await value('deploy', { ...staging, ref: 'HEAD~1' });
  await value('deploy', { ...staging, ref: 'HEAD' });
  // The state a kill -9 leaves right after the proxy switched to v2: v2 still pending, the lock dir of
  // the dead deploy still there (fresh, so its mtime alone would keep it for 15 s).
  await writeFile(
    join(envDir(), 'releases', 'v2.status.json'),
    JSON.stringify({ status: 'pending', at: new Date().toISOString() }),
  );
  await mkdir(join(envDir(), 'deploy.lock'), { recursive: true });
  await writeFile(
    join(envDir(), 'deploy.lock.owner'),
    JSON.stringify({ pid: deadPid(), at: new Date().toISOString() }),
  );
}, 180_000);
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('after a deploy was killed right after the proxy switched', () => {
  it('status says what the proxy serves, and the release is no longer pending', async () => {
    const serving = JSON.parse(await readFile(join(envDir(), 'serving.json'), 'utf8')) as { version: number };
    expect(serving.version).toBe(2);
    const status = await value('pipelines.status', { pipeline: 'demo' });
    const env = status.environments[0];
    expect(env?.current?.version).toBe(2);
    expect(env?.warnings.join(' ')).toMatch(/v2.*interrupted/);
    const releases = await value('releases.list', staging);
    expect(releases.map((r) => `v${r.version} ${r.status}`)).toEqual(['v2 succeeded', 'v1 succeeded']);
  });

  it('the next deploy takes the dead process lock at once and says so', async () => {
    await mkdir(join(envDir(), 'deploy.lock'), { recursive: true });
    await writeFile(
      join(envDir(), 'deploy.lock.owner'),
      JSON.stringify({ pid: deadPid(), at: new Date().toISOString() }),
    );
    const seen: Deployment[] = [];
    const watching = services.router.subscribe('deployments.watch', { pipeline: 'demo' }, { transport: 'cli' }, (d) =>
      seen.push(d as Deployment),
    );
    const done = await value('config.set', { ...staging, vars: [{ key: 'GREETING', value: 'Ahoy' }] });
    if (watching.ok) watching.value.dispose();
    expect(done.status).toBe('succeeded');
    expect(done.steps[0]).toMatchObject({
      name: expect.stringMatching(/stale lock/i),
      message: expect.stringMatching(/process \d+/),
    });
  }, 60_000);
});
