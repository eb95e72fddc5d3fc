// Through the router to the AWS emulator: an alarm made on an ECS environment guards its rollouts, and
// both changes are in the activity feed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { ObservabilityClients } from '../providers/aws-ecs/observability/clients.js';
import { emulatorEnvironment, REGION } from '../providers/aws-ecs/observability/testing/emulator-environment.js';
import { createServices } from '../services.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const cli = { transport: 'cli' as const };

describe('alarms that guard rollouts (emulator)', () => {
  it('creates an alarm, attaches it to the rollouts with rollback, and writes both to the activity feed', async () => {
    const env = await emulatorEnvironment();
    const home = mkdtempSync(join(tmpdir(), 'slipway-offers-'));
    const services = await createServices({ home, log: () => undefined });
    const clients = new ObservabilityClients();
    cleanups.push(
      () => rmSync(home, { recursive: true, force: true }),
      () => env.dispose(),
      () => services.dispose(),
      () => clients.dispose(),
    );
    const ref = { pipeline: 'shop', environment: 'staging' };
    expect(
      (await services.router.call('pipelines.create', { name: 'shop', environments: [env.ctx.environment] }, cli)).ok,
    ).toBe(true);

    const created = await services.router.call('alarms.create', { ...ref, metric: 'cpu', threshold: 90 }, cli);
    expect(created).toMatchObject({ ok: true, value: { name: 'shop-staging-cpu-90', managed: true } });
    cleanups.push(() =>
      clients.cloudwatch({ region: REGION }, new DeleteAlarmsCommand({ AlarmNames: ['shop-staging-cpu-90'] })),
    );

    const guarded = await services.router.call('alarms.guardDeploys', ref, cli);
    expect(guarded).toEqual({ ok: true, value: { alarms: ['shop-staging-cpu-90'], rollback: true, changed: true } });
    const unknown = await services.router.call('alarms.guardDeploys', { ...ref, alarms: ['nope'] }, cli);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const feed = await services.router.call('activity.list', { pipeline: 'shop' }, cli);
    if (!feed.ok) throw new Error(JSON.stringify(feed));
    const events = (feed.value as { events: { action: string; result: string; summary: string }[] }).events;
    expect(events.map((e) => [e.action, e.result])).toEqual(
      expect.arrayContaining([
        ['alarm.create', 'succeeded'],
        ['environment.guard-deploys', 'succeeded'],
      ]),
    );
    expect(events.find((e) => e.action === 'environment.guard-deploys')?.summary).toBe(
      'Rollouts of staging are watched by shop-staging-cpu-90 and roll back when one fires',
    );
    // The refusal changed nothing and wrote nothing.
    expect(events.filter((e) => e.action === 'environment.guard-deploys')).toHaveLength(1);
  });
});
