// One damaged or unwritable file of the workspace: a STORAGE error naming the file and what to do, never
// INTERNAL; the rest of the workspace keeps answering.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';

let home: string;
let services: Services;
const logged: string[] = [];

async function call<N extends ProcedureName>(name: N, input: unknown): Promise<Result<ProcedureOutput<N>>> {
  return (await services.router.call(name, input, { transport: 'ws' })) as Result<ProcedureOutput<N>>;
}
async function value<N extends ProcedureName>(name: N, input: unknown): Promise<ProcedureOutput<N>> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const staging = { pipeline: 'demo', environment: 'staging' };
const envDir = (env: string): string => join(home, 'local', 'pipelines', 'demo', env);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-damaged-'));
  services = await createServices({ home, log: (message) => logged.push(message) });
  await value('deploy', { ...staging, ref: 'HEAD~1' });
  await value('deploy', { ...staging, ref: 'HEAD' });
}, 180_000);
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('damaged files', () => {
  it('names a damaged old release file; status and the other environment keep working', async () => {
    const releases = join(envDir('staging'), 'releases');
    expect(await readdir(releases)).toContain('v1.json');
    const file = join(releases, 'v1.json');
    const good = await readFile(file);
    await writeFile(file, good.subarray(0, 40));
    try {
      const result = await call('releases.list', staging);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'STORAGE', message: expect.stringContaining(file) },
      });
      const status = await value('pipelines.status', { pipeline: 'demo' });
      expect(status.environments[0]?.current?.version).toBe(2);
      expect((await value('releases.list', { pipeline: 'demo', environment: 'production' })).length).toBe(0);
    } finally {
      await writeFile(file, good);
    }
  });

  it('names a damaged serving.json in a status warning instead of failing status', async () => {
    const file = join(envDir('staging'), 'serving.json');
    const good = await readFile(file);
    await writeFile(file, Buffer.from([0, 159, 146, 150, 1, 2]));
    try {
      const status = await value('pipelines.status', { pipeline: 'demo' });
      expect(status.environments[0]?.warnings.join(' ')).toContain(file);
    } finally {
      await writeFile(file, good);
    }
  });

  it('names a truncated or binary workspace.json and says what to do', async () => {
    const file = join(home, 'workspace.json');
    const good = await readFile(file);
    for (const damage of [good.subarray(0, good.length / 2), Buffer.from([0xff, 0xfe, 0, 1, 2, 3])]) {
      await writeFile(file, damage);
      const result = await call('pipelines.list', {});
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'STORAGE', message: expect.stringMatching(/workspace\.json is damaged.*[Mm]ove it away/) },
      });
    }
    await writeFile(file, good);
    expect((await value('pipelines.list', {})).length).toBe(1);
  });
});
