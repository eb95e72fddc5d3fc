// Names that are also members of every JS object (`constructor`, `toString`, `__proto__`) are data like any
// other name: they are stored, read and removed as written, or refused with a sentence that says why.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { stopAllLocal } from '../providers/local/index.js';
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
const env = { pipeline: 'demo', environment: 'staging' };
const keys = async (): Promise<string[]> => (await value('config.get', env)).map((v) => v.key);

beforeAll(async () => {
  // The bucket check below must not reach a real cloud: a closed local port answers at once.
  process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:9';
  home = await mkdtemp(join(tmpdir(), 'slipway-member-names-'));
  services = await createServices({ home });
  await value('deploy', { ...env, ref: 'HEAD' });
}, 120_000);
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('config keys named after object members', () => {
  it('unsetting a key that was never set is NOT_FOUND, not INTERNAL', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      const result = await call('config.unset', { ...env, keys: [key] });
      expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining(key) } });
    }
  });

  it('sets, reads and removes a var named constructor', async () => {
    await value('config.set', {
      ...env,
      vars: [
        { key: 'constructor', value: 'c1' },
        { key: 'toString', value: 't1' },
      ],
    });
    expect(await keys()).toEqual(expect.arrayContaining(['constructor', 'toString']));
    const removed = await value('config.unset', { ...env, keys: ['constructor', 'toString'] });
    expect(removed.status).toBe('succeeded');
    expect(await keys()).not.toContain('constructor');
    expect(await keys()).not.toContain('toString');
  }, 60_000);

  it('refuses __proto__ as a key with a clear error, and makes no release', async () => {
    const before = (await value('releases.list', env)).length;
    const result = await call('config.set', { ...env, vars: [{ key: '__proto__', value: 'v' }] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('__proto__') },
    });
    const unset = await call('config.unset', { ...env, keys: ['__proto__'] });
    expect(unset).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await value('releases.list', env)).length).toBe(before);
  });
});

describe('pipeline names and bucket names named after object members', () => {
  it('refuses reserved pipeline names with a clear error', async () => {
    for (const name of ['constructor', 'prototype']) {
      const result = await call('pipelines.create', {
        name,
        environments: [{ name: 'staging', target: { provider: 'local', port: 41_999 } }],
      });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('reserved') },
      });
    }
    expect((await value('pipelines.list', {})).map((p) => p.name)).toEqual(['demo']);
  });

  it('a bucket named constructor gets a named refusal, and the folder store stays', async () => {
    const result = await call('activity.setStore', { kind: 's3', bucket: 'constructor', region: 'us-east-1' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).not.toBe('INTERNAL');
      expect(result.error.message).toContain('constructor');
    }
    expect((await value('system.info', {})).auditStore).toMatch(/folder|activity/i);
  });
});
