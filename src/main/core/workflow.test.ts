// The whole Heroku workflow through the router, on the local provider, as the UI and CLI drive it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
async function serving(url: string): Promise<string> {
  const response = await fetch(`${url}/healthz`);
  return JSON.stringify(await response.json());
}
const repoSha = (ref: string): string =>
  execFileSync('git', ['-C', join(home, 'repos', 'demo'), 'rev-parse', ref], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-workflow-'));
  services = await createServices({ home });
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('the workflow on the local provider', () => {
  it('starts a new workspace with the demo pipeline', async () => {
    expect(await value('pipelines.list', {})).toEqual([
      {
        name: 'demo',
        environments: [
          { name: 'staging', provider: 'local' },
          { name: 'production', provider: 'local' },
        ],
      },
    ]);
    const status = await value('pipelines.status', { pipeline: 'demo' });
    expect(status.environments.map((e) => e.current)).toEqual([undefined, undefined]);
  });

  it('refuses to promote from an empty environment and changes nothing', async () => {
    const result = await call('promote', { pipeline: 'demo', from: 'staging', to: 'production' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/staging has no release/) },
    });
    expect(await value('releases.list', { pipeline: 'demo', environment: 'production' })).toEqual([]);
  });

  it('deploys an older commit to staging, then the newest, and serves each', async () => {
    const first = await value('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD~2' });
    expect(first).toMatchObject({ status: 'succeeded', releaseVersion: 1 });
    expect(first.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Build', 'Create release', 'Release phase']),
    );
    const status = await value('pipelines.status', { pipeline: 'demo' });
    const staging = status.environments[0]!;
    expect(staging.current?.sha).toBe(repoSha('HEAD~2'));
    expect(await serving(staging.url!)).toContain(repoSha('HEAD~2'));
  });

  it('promotes staging to production without a rebuild, keeping production config', async () => {
    const preview = await value('promote.preview', { pipeline: 'demo', from: 'staging', to: 'production' });
    expect(preview.from.release?.version).toBe(1);
    expect(preview.to.release).toBeUndefined();
    expect(preview.commits.length).toBeGreaterThan(0);
    expect(preview.diff).toContain('diff --git');

    const promoted = await value('promote', { pipeline: 'demo', from: 'staging', to: 'production' });
    expect(promoted).toMatchObject({ status: 'succeeded', releaseVersion: 1, kind: 'promote' });
    const [production] = await value('releases.list', { pipeline: 'demo', environment: 'production' });
    expect(production).toMatchObject({
      kind: 'promote',
      source: { environment: 'staging', version: 1 },
      sha: repoSha('HEAD~2'),
    });
    expect(promoted.steps.map((s) => s.name)).not.toContain('Build');
  });

  it('lists the commits between production and staging once staging moves ahead', async () => {
    await value('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' });
    const preview = await value('promote.preview', { pipeline: 'demo', from: 'staging', to: 'production' });
    expect(preview.commits.map((c) => c.sha)).toEqual([repoSha('HEAD'), repoSha('HEAD~1')]);
    expect(preview.to.release?.sha).toBe(repoSha('HEAD~2'));
  });

  it('sets config as a new release, hides secret values, and audits key names only', async () => {
    const deployment = await value('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [
        { key: 'GREETING', value: 'Ahoy' },
        { key: 'DATABASE_PASSWORD', value: 'hunter2-very-secret', secret: true },
      ],
    });
    expect(deployment).toMatchObject({ status: 'succeeded', kind: 'config', releaseVersion: 3 });
    const config = await value('config.get', { pipeline: 'demo', environment: 'staging' });
    expect(config.find((c) => c.key === 'GREETING')).toMatchObject({ value: 'Ahoy', secret: false });
    expect(config.find((c) => c.key === 'DATABASE_PASSWORD')).toMatchObject({ secret: true });
    expect(config.find((c) => c.key === 'DATABASE_PASSWORD')).not.toHaveProperty('value');

    const activity = await value('activity.list', { pipeline: 'demo' });
    const event = activity.events.find((e) => e.action === 'config.set');
    expect(event?.keys?.map((k) => k.key).sort()).toEqual(['DATABASE_PASSWORD', 'GREETING']);
    const everything = JSON.stringify([
      activity,
      await value('releases.list', { pipeline: 'demo', environment: 'staging' }),
    ]);
    expect(everything).not.toContain('hunter2');
  });

  it('rejects a bad config key with a clear error and makes no release', async () => {
    const before = await value('releases.list', { pipeline: 'demo', environment: 'staging' });
    const result = await call('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [{ key: '1BAD-KEY', value: 'x' }],
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/config key/) },
    });
    expect(await value('releases.list', { pipeline: 'demo', environment: 'staging' })).toHaveLength(before.length);
  });

  it('rejects a config value no process environment can hold, without echoing it, and makes no release', async () => {
    const before = await value('releases.list', { pipeline: 'demo', environment: 'staging' });
    const result = await call('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [{ key: 'API_KEY', value: 'sk-live\u0000tail', secret: true }],
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/vars\.0\.value: .*NUL/) },
    });
    expect(JSON.stringify(result)).not.toContain('sk-live');
    expect(await value('releases.list', { pipeline: 'demo', environment: 'staging' })).toHaveLength(before.length);
  });

  it('runs concurrent config changes one after the other, and none is lost', async () => {
    const changes = ['ONE', 'TWO', 'THREE'].map((key) =>
      value('config.set', { pipeline: 'demo', environment: 'staging', vars: [{ key, value: key.toLowerCase() }] }),
    );
    const done: Deployment[] = await Promise.all(changes);
    expect(done.map((d) => d.releaseVersion)).toEqual([4, 5, 6]);
    const config = await value('config.get', { pipeline: 'demo', environment: 'staging' });
    expect(config.map((c) => c.key)).toEqual(expect.arrayContaining(['ONE', 'TWO', 'THREE', 'GREETING']));
  });

  it('refuses a rollback across a no-rollback release unless a reason is given, and records it', async () => {
    await value('releases.markNoRollback', {
      pipeline: 'demo',
      environment: 'staging',
      version: 5,
      reason: 'drops a column',
    });
    const refused = await call('rollback', { pipeline: 'demo', environment: 'staging', to: 2 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'NO_ROLLBACK', message: expect.stringMatching(/v5 is marked no-rollback/) },
    });
    const list = await value('releases.list', { pipeline: 'demo', environment: 'staging' });
    expect(list.find((r) => r.version === 2)?.rollback).toEqual({
      allowed: false,
      blockedBy: { version: 5, reason: 'drops a column' },
    });
    expect(list).toHaveLength(6);

    const rolled = await value('rollback', {
      pipeline: 'demo',
      environment: 'staging',
      to: 2,
      overrideReason: 'restored from backup',
    });
    expect(rolled).toMatchObject({ status: 'succeeded', releaseVersion: 7, kind: 'rollback' });
    const [newest] = await value('releases.list', { pipeline: 'demo', environment: 'staging' });
    expect(newest).toMatchObject({
      version: 7,
      kind: 'rollback',
      source: { version: 2 },
      sha: repoSha('HEAD'),
      current: true,
    });
    const activity = await value('activity.list', { pipeline: 'demo', environment: 'staging', limit: 1 });
    expect(activity.events[0]).toMatchObject({
      action: 'rollback',
      overrideReason: 'restored from backup',
      beforeVersion: 6,
      afterVersion: 7,
    });
  });

  it('answers an unknown pipeline with NOT_FOUND naming the known ones', async () => {
    const result = await call('releases.list', { pipeline: 'nope', environment: 'staging' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/demo/) } });
  });

  it('records every action with its actor in the activity feed', async () => {
    const { events } = await value('activity.list', { pipeline: 'demo', limit: 50 });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['deploy', 'promote', 'config.set', 'release.mark-no-rollback', 'rollback']),
    );
    for (const event of events) expect(event.actor.user).toBeTruthy();
  });

  it('brings every environment back after a restart, each on its current release', async () => {
    const before = await value('pipelines.status', { pipeline: 'demo' });
    await services.dispose();
    await stopAllLocal(home);
    await expect(fetch(`${before.environments[0]!.url}/healthz`)).rejects.toThrow();

    services = await createServices({ home, recover: true });
    await services.recovered;
    for (const environment of before.environments) {
      expect(await serving(environment.url!)).toContain(environment.current!.sha!);
    }
  });

  it('aborts a deploy that is stuck in its health check, and the serving release keeps serving', async () => {
    const before = await value('pipelines.status', { pipeline: 'demo' });
    const staging = before.environments[0]!;
    const stuck = call('config.set', {
      pipeline: 'demo',
      environment: 'staging',
      vars: [{ key: 'FAIL_HEALTHCHECK', value: '1' }],
    });
    await expect
      .poll(
        async () =>
          (await value('deployments.list', { pipeline: 'demo', environment: 'staging' }))[0]?.steps.at(-1)?.name,
      )
      .toBe('Health check');

    const aborted = await value('deployments.abort', { pipeline: 'demo', environment: 'staging' });
    expect(aborted).toMatchObject({
      status: 'failed',
      error: { code: 'DEPLOY_FAILED', message: expect.stringMatching(/^Aborted by .+ keeps serving\.$/) },
    });
    expect(await stuck).toMatchObject({ ok: false, error: { code: 'DEPLOY_FAILED' } });
    expect(await serving(staging.url!)).toContain(staging.current!.sha!);
    const [newest] = await value('releases.list', { pipeline: 'demo', environment: 'staging' });
    expect(newest).toMatchObject({ status: 'failed', current: false });
    expect(await call('deployments.abort', { pipeline: 'demo', environment: 'staging' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
