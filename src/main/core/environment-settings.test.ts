// A local environment's settings through the router: saved in the workspace file, used by the next
// deploy, refused when out of range or on ECS, and written to the activity feed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';

let home: string;
let services: Services;
const workspaceFile = (): Promise<string> => readFile(join(home, 'workspace.json'), 'utf8');

async function call<N extends ProcedureName>(name: N, input: unknown): Promise<Result<ProcedureOutput<N>>> {
  return (await services.router.call(name, input, { transport: 'ws' })) as Result<ProcedureOutput<N>>;
}
async function value<N extends ProcedureName>(name: N, input: unknown): Promise<ProcedureOutput<N>> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const settingsEvents = async () =>
  (await value('activity.list', { pipeline: 'demo' })).events.filter((e) => e.action === 'environment.configure');

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-env-settings-'));
  services = await createServices({ home });
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('environment settings', () => {
  it('shows what the demo environments run with', async () => {
    const staging = await value('environments.get', { pipeline: 'demo', environment: 'staging' });
    expect(staging.target).toMatchObject({ provider: 'local', instances: 2, stopSignal: 'SIGTERM', graceMs: 5_000 });
  });

  it('saves a new instance count and stop signal, and the next deploy runs with them', async () => {
    const first = await value('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD~1' });
    expect(first.status).toBe('succeeded');
    const fileBefore = JSON.parse(await workspaceFile());

    const saved = await value('environments.configure', {
      pipeline: 'demo',
      environment: 'staging',
      instances: 3,
      stopSignal: 'SIGQUIT',
      healthCheck: { retries: 40 },
    });
    expect(saved.target).toMatchObject({
      provider: 'local',
      instances: 3,
      stopSignal: 'SIGQUIT',
      graceMs: 5_000,
      healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 2_000, retries: 40 },
    });

    // Only staging's target changed in the file; production and the rest are as they were.
    const fileAfter = JSON.parse(await workspaceFile());
    fileBefore.pipelines[0].environments[0].target = {
      ...fileBefore.pipelines[0].environments[0].target,
      instances: 3,
      stopSignal: 'SIGQUIT',
      healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 2_000, retries: 40 },
    };
    expect(fileAfter).toEqual(fileBefore);

    // What runs now is untouched until the next rollout.
    const running = await value('pipelines.status', { pipeline: 'demo' });
    expect(running.environments[0]?.instances.filter((i) => i.state === 'healthy')).toHaveLength(2);

    const second = await value('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' });
    expect(second.status).toBe('succeeded');
    const drained = second.steps.find((s) => s.name === 'Drain old instances');
    expect(drained?.message).toContain('SIGQUIT');
    expect(drained?.output?.filter((line) => line.endsWith('stopped after SIGQUIT'))).toHaveLength(2);

    const status = await value('pipelines.status', { pipeline: 'demo' });
    const staging = status.environments.find((e) => e.environment === 'staging');
    expect(staging?.instances.map((i) => [i.state, i.releaseVersion])).toEqual([
      ['healthy', 2],
      ['healthy', 2],
      ['healthy', 2],
    ]);
    // Production keeps its own settings.
    expect((await value('environments.get', { pipeline: 'demo', environment: 'production' })).target).toMatchObject({
      instances: 2,
      stopSignal: 'SIGTERM',
    });
  });

  it('writes what changed to the activity feed, once', async () => {
    const [event, ...others] = await settingsEvents();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      environment: 'staging',
      result: 'succeeded',
      summary:
        'Changed the settings of staging: instances 2 → 3, health check retries 50 → 40, stop signal SIGTERM → SIGQUIT. They apply from the next deploy.',
    });
    // Saving the same values again changes nothing and says nothing.
    const before = await workspaceFile();
    await value('environments.configure', { pipeline: 'demo', environment: 'staging', instances: 3 });
    expect(await workspaceFile()).toBe(before);
    expect(await settingsEvents()).toHaveLength(1);
  });

  it.each([
    [{ instances: 17 }, 'instances: The instance count is a whole number from 1 to 16'],
    [{ instances: 0 }, 'instances: The instance count is a whole number from 1 to 16'],
    [{ instances: 2.5 }, 'instances: The instance count is a whole number from 1 to 16'],
    [{ stopSignal: 'SIGKILL' }, 'stopSignal: The stop signal is one of SIGTERM, SIGINT, SIGQUIT'],
    [{ graceMs: -1 }, 'graceMs: The grace period is a whole number from 0 to 300,000 ms'],
    [{ healthCheck: { path: 'healthz' } }, 'healthCheck.path: The health check path starts with /'],
    [
      { healthCheck: { intervalMs: 10 } },
      'healthCheck.intervalMs: The health check interval is a whole number from 50',
    ],
    [{}, 'Give at least one setting to change'],
  ])('refuses %j and saves nothing', async (settings, message) => {
    const before = await workspaceFile();
    const result = await call('environments.configure', { pipeline: 'demo', environment: 'staging', ...settings });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toContain(message);
    expect(await workspaceFile()).toBe(before);
    expect(await settingsEvents()).toHaveLength(1);
  });

  it('names the environment it cannot find', async () => {
    const result = await call('environments.configure', { pipeline: 'demo', environment: 'qa', instances: 3 });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'Pipeline "demo" has no environment "qa". Environments: staging, production.',
      },
    });
  });

  it('refuses an ECS environment and says where its settings live', async () => {
    await value('pipelines.create', {
      name: 'shop',
      environments: [
        {
          name: 'staging',
          target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'staging', service: 'shop-web' },
        },
      ],
    });
    const before = await workspaceFile();
    const result = await call('environments.configure', {
      pipeline: 'shop',
      environment: 'staging',
      instances: 3,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) {
      expect(result.error.message).toContain('runs on AWS ECS (service shop-web in cluster staging, eu-west-1)');
      expect(result.error.message).toContain('desired count');
      expect(result.error.message).toContain('task definition');
    }
    expect(await workspaceFile()).toBe(before);
  });

  it('applies settings saved while a deploy waits in the queue to that deploy', async () => {
    const running = call('deploy', { pipeline: 'demo', environment: 'production', ref: 'HEAD~1' });
    const waiting = call('deploy', { pipeline: 'demo', environment: 'production', ref: 'HEAD' });
    await value('environments.configure', { pipeline: 'demo', environment: 'production', instances: 1 });
    expect(await running).toMatchObject({ ok: true });
    expect(await waiting).toMatchObject({ ok: true, value: { status: 'succeeded' } });
    const status = await value('pipelines.status', { pipeline: 'demo' });
    const production = status.environments.find((e) => e.environment === 'production');
    expect(production?.instances.filter((i) => i.state === 'healthy')).toHaveLength(1);
  });
});
