// Creating a pipeline through the router: written to the activity feed, and refused (changing nothing) when
// a local port is taken by another environment, privileged, or repeated.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { createServices, type Services } from '../services.js';

let home: string;
let services: Services;

async function call<N extends ProcedureName>(name: N, input: unknown): Promise<Result<ProcedureOutput<N>>> {
  return (await services.router.call(name, input, { transport: 'http' })) as Result<ProcedureOutput<N>>;
}
async function value<N extends ProcedureName>(name: N, input: unknown): Promise<ProcedureOutput<N>> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const local = (name: string, port: number) => ({ name, target: { provider: 'local', port } });
const demoPorts = async (): Promise<number[]> =>
  (await value('pipelines.get', { pipeline: 'demo' })).environments.flatMap((e) =>
    e.target.provider === 'local' ? [e.target.port] : [],
  );

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-create-'));
  services = await createServices({ home });
});
afterAll(async () => {
  await services?.dispose();
  await rm(home, { recursive: true, force: true });
});

describe('pipelines.create', () => {
  it('writes a pipeline.create event to the activity feed', async () => {
    await value('pipelines.create', { name: 'shop', environments: [local('staging', 47_101), local('prod', 47_102)] });
    const events = (await value('activity.list', { pipeline: 'shop' })).events;
    expect(events).toMatchObject([{ action: 'pipeline.create', pipeline: 'shop', result: 'succeeded' }]);
    expect(events[0]?.summary).toMatch(/shop/);
  });

  it('refuses a port another pipeline uses, naming both', async () => {
    const [taken] = await demoPorts();
    const before = await readFile(join(home, 'workspace.json'), 'utf8');
    const result = await call('pipelines.create', { name: 'blog', environments: [local('staging', taken ?? 0)] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(new RegExp(`${taken}.*demo`)) },
    });
    expect(await readFile(join(home, 'workspace.json'), 'utf8')).toBe(before);
    expect((await value('activity.list', { pipeline: 'blog' })).events).toEqual([]);
  });

  it('refuses one port for two environments and a privileged port', async () => {
    const twice = await call('pipelines.create', {
      name: 'blog',
      environments: [local('staging', 47_201), local('prod', 47_201)],
    });
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('47201') },
    });
    const privileged = await call('pipelines.create', { name: 'blog', environments: [local('staging', 1)] });
    expect(privileged).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/1024/) },
    });
    expect((await value('pipelines.list', {})).map((p) => p.name)).toEqual(['demo', 'shop']);
  });
});
