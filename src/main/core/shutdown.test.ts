// Deploys that never get their turn: Slipway closes while they wait in line, or the environment's lock
// cannot be taken. Each ends failed with the reason, in the list and the feed, and nothing changes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-shutdown-'));
  services = await createServices({ home });
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('closing Slipway with deploys queued', () => {
  it('starts no queued deploy, records each as failed, and leaves the serving release alone', async () => {
    expect(await call('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' })).toMatchObject({
      ok: true,
    });
    const stuck = call('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [{ key: 'FAIL_HEALTHCHECK', value: '1' }],
    });
    const waiting = call('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [{ key: 'GREETING', value: 'Ahoy' }],
    });
    await expect
      .poll(async () => {
        const list = await call('deployments.list', { pipeline: 'demo', environment: 'staging' });
        return list.ok ? list.value.map((d) => `${d.summary}: ${d.status}`) : [];
      })
      .toEqual(expect.arrayContaining(['Set FAIL_HEALTHCHECK on staging: running', 'Set GREETING on staging: queued']));
    // Close once the running change has made its release (on a busy machine "running" comes first).
    await expect
      .poll(async () => {
        const list = await call('releases.list', { pipeline: 'demo', environment: 'staging' });
        return list.ok ? list.value.map((r) => `v${r.version} ${r.status}`) : [];
      })
      .toEqual(['v2 pending', 'v1 succeeded']);

    await services.dispose();

    expect(await stuck).toMatchObject({ ok: false, error: { code: 'DEPLOY_FAILED' } });
    expect(await waiting).toMatchObject({
      ok: false,
      error: { code: 'DEPLOY_FAILED', message: expect.stringMatching(/Slipway was closing.*v1 keeps serving/) },
    });
    const releases = await call('releases.list', { pipeline: 'demo', environment: 'staging' });
    expect(releases.ok && releases.value.map((r) => `v${r.version} ${r.status}`)).toEqual([
      'v2 failed',
      'v1 succeeded',
    ]);
    const activity = await call('activity.list', { pipeline: 'demo', limit: 1 });
    expect(activity.ok && activity.value.events[0]).toMatchObject({
      action: 'config.set',
      result: 'failed',
      summary: expect.stringMatching(/^Set GREETING on staging failed: Slipway was closing/),
    });
  });

  it('ends a deploy failed, not queued forever, when the environment lock cannot be taken', async () => {
    services = await createServices({ home });
    // Something that is not a folder where production keeps its state (and its lock).
    await mkdir(join(home, 'local', 'pipelines', 'demo'), { recursive: true });
    await writeFile(join(home, 'local', 'pipelines', 'demo', 'production'), 'not a folder');

    const result = await call('deploy', { pipeline: 'demo', environment: 'production', ref: 'HEAD' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const listed = await call('deployments.list', { pipeline: 'demo', environment: 'production' });
    expect(listed.ok && listed.value.map((d) => d.status)).toEqual(['failed']);
    const activity = await call('activity.list', { pipeline: 'demo', environment: 'production', limit: 1 });
    expect(activity.ok && activity.value.events[0]).toMatchObject({
      action: 'deploy',
      result: 'failed',
      errorCode: 'INTERNAL',
    });
  });
});
