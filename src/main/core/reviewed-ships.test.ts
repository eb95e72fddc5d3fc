// What was reviewed is what ships, through the router on the local provider: a promote carries the
// source release it showed, a config change the release whose config it read; a change in between
// answers CONFLICT and nothing is overwritten.
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
  return (await services.router.call(name, input, { transport: 'cli' })) as Result<ProcedureOutput<N>>;
}
async function value<N extends ProcedureName>(name: N, input: unknown): Promise<ProcedureOutput<N>> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const staging = { pipeline: 'demo', environment: 'staging' };
const configOf = async (): Promise<Record<string, string | undefined>> =>
  Object.fromEntries((await value('config.snapshot', staging)).vars.map((v) => [v.key, v.value]));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-reviewed-'));
  services = await createServices({ home });
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('a promote ships the source release that was reviewed', () => {
  it('ships the reviewed release while the source has not moved', async () => {
    await value('deploy', { ...staging, ref: 'HEAD~1' });
    const preview = await value('promote.preview', { pipeline: 'demo', from: 'staging', to: 'production' });
    expect(preview.from.release?.version).toBe(1);
    const promoted = await value('promote', {
      pipeline: 'demo',
      from: 'staging',
      to: 'production',
      sourceVersion: preview.from.release!.version,
    });
    expect(promoted).toMatchObject({ status: 'succeeded', releaseVersion: 1 });
  });

  it('refuses with CONFLICT naming both versions when the source moved after the review', async () => {
    const preview = await value('promote.preview', { pipeline: 'demo', from: 'staging', to: 'production' });
    const reviewed = await value('releases.list', { pipeline: 'demo', environment: 'production' });
    await value('deploy', { ...staging, ref: 'HEAD' }); // a teammate deploys while the dialog is open
    const result = await call('promote', {
      pipeline: 'demo',
      from: 'staging',
      to: 'production',
      sourceVersion: preview.from.release!.version,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/showed staging v1, and staging runs v2 now.*review the promote again/),
        details: { reviewedVersion: 1, currentVersion: 2 },
      },
    });
    expect(await value('releases.list', { pipeline: 'demo', environment: 'production' })).toEqual(reviewed);
  });
});

describe('a config change is based on the config it read', () => {
  it('applies a change whose base is the current release', async () => {
    const read = await value('config.snapshot', staging);
    expect(read.version).toBe(2);
    const done = await value('config.set', {
      ...staging,
      vars: [{ key: 'LOG_LEVEL', value: 'debug' }],
      baseVersion: 2,
    });
    expect(done).toMatchObject({ status: 'succeeded', releaseVersion: 3 });
    expect(await configOf()).toMatchObject({ LOG_LEVEL: 'debug' });
  });

  it("refuses to overwrite a key a teammate changed since it was read, and keeps the teammate's value", async () => {
    const result = await call('config.set', {
      ...staging,
      vars: [{ key: 'LOG_LEVEL', value: 'warn' }],
      baseVersion: 2,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(
          /LOG_LEVEL changed on staging since its config was read at v2 \(it runs v3 now\)/,
        ),
        details: { baseVersion: 2, currentVersion: 3, keys: ['LOG_LEVEL'] },
      },
    });
    const removal = await call('config.unset', { ...staging, keys: ['LOG_LEVEL'], baseVersion: 2 });
    expect(removal).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await configOf()).toMatchObject({ LOG_LEVEL: 'debug' });
    expect((await value('config.snapshot', staging)).version).toBe(3);
  });

  it("composes with a teammate's change to other keys", async () => {
    const done = await value('config.set', { ...staging, vars: [{ key: 'FEATURE_X', value: 'on' }], baseVersion: 2 });
    expect(done).toMatchObject({ status: 'succeeded', releaseVersion: 4 });
    expect(await configOf()).toMatchObject({ LOG_LEVEL: 'debug', FEATURE_X: 'on' });
  });

  it('checks the base again when a queued change gets its turn: the second of two edits of one key fails', async () => {
    const base = (await value('config.snapshot', staging)).version;
    const [first, second] = await Promise.all([
      call('config.set', { ...staging, vars: [{ key: 'FEATURE_X', value: 'off' }], baseVersion: base }),
      call('config.set', { ...staging, vars: [{ key: 'FEATURE_X', value: 'maybe' }], baseVersion: base }),
    ]);
    expect(first).toMatchObject({ ok: true, value: { status: 'succeeded', releaseVersion: 5 } });
    // The second was accepted into the queue, then refused when its turn came: nothing was overwritten.
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/FEATURE_X changed on staging since .* v4 \(it runs v5 now\)/),
      },
    });
    expect(await configOf()).toMatchObject({ FEATURE_X: 'off' });
    expect((await value('config.snapshot', staging)).version).toBe(5);
  });

  it('keeps the old meaning without a base: applied to the config as it is when its turn comes', async () => {
    const done = await value('config.set', { ...staging, vars: [{ key: 'FEATURE_X', value: 'later' }] });
    expect(done).toMatchObject({ status: 'succeeded', releaseVersion: 6 });
    expect(await configOf()).toMatchObject({ FEATURE_X: 'later', LOG_LEVEL: 'debug' });
  });
});
