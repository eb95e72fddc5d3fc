// Attaching alarms to an ECS service's rollouts (deployment alarms with rollback). The emulator keeps no
// deployment configuration, so this runs on the fake cloud, with CloudWatch answered from a map.
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ecsContext } from '../testing/fixtures.js';
import { withFakeCloud } from '../testing/with-fake-cloud.js';

describe('deployment alarms (mock: the emulator keeps no deployment configuration)', () => {
  const aws = withFakeCloud({ services: ['web-staging'] });
  const alarms = new Map<string, MetricAlarm>();
  const cloudwatch = mockClient(CloudWatchClient);
  beforeEach(() => {
    alarms.clear();
    cloudwatch.reset();
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: [...alarms.values()].filter(
        (a) => !input.AlarmNames || input.AlarmNames.includes(a.AlarmName ?? ''),
      ),
    }));
    cloudwatch
      .on(PutMetricAlarmCommand)
      .callsFake((input: MetricAlarm) => void alarms.set(input.AlarmName ?? '', input));
    cloudwatch.on(DeleteAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      for (const name of input.AlarmNames) alarms.delete(name);
    });
  });
  afterAll(() => cloudwatch.restore());

  const ctx = ecsContext();
  const spec = { threshold: 80, periodSeconds: 60, evaluationPeriods: 2 };

  it("watches rollouts with the environment's alarms and rolls back, keeping every other deployment setting", async () => {
    const service = aws.cloud.service('apps', 'web-staging');
    if (service) {
      service.deploymentConfiguration = {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      };
    }
    const { alarms: capability } = aws.provider.capabilities;
    await capability.create(ctx, { ...spec, name: 'shop-staging-memory-80', metric: 'memory' });
    await capability.create(ctx, { ...spec, name: 'shop-staging-cpu-90', metric: 'cpu', threshold: 90 });
    // One made by hand on the service: shown, but not attached unless named.
    alarms.set('by-hand', {
      AlarmName: 'by-hand',
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Dimensions: [
        { Name: 'ClusterName', Value: 'apps' },
        { Name: 'ServiceName', Value: 'web-staging' },
      ],
    });

    const guarded = await capability.deployGuard.guard(ctx);
    expect(guarded).toEqual({
      alarms: ['shop-staging-memory-80', 'shop-staging-cpu-90'],
      rollback: true,
      changed: true,
    });
    expect(aws.cloud.service('apps', 'web-staging')?.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['shop-staging-memory-80', 'shop-staging-cpu-90'], enable: true, rollback: true },
    });
    const updates = aws.cloud.ecs.commandCalls(UpdateServiceCommand);
    expect(updates).toHaveLength(1);
    // Nothing but the deployment configuration was sent: no new deployment starts.
    expect(Object.keys(updates[0]?.args[0].input ?? {}).sort()).toEqual([
      'cluster',
      'deploymentConfiguration',
      'service',
    ]);

    expect((await capability.deployGuard.guard(ctx)).changed).toBe(false);
    expect((await capability.deployGuard.guard(ctx, ['by-hand'])).alarms).toContain('by-hand');
    await expect(capability.deployGuard.guard(ctx, ['nope'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes a deleted alarm off the rollouts first, so a deploy never waits on a missing alarm', async () => {
    const { alarms: capability } = aws.provider.capabilities;
    await capability.create(ctx, { ...spec, name: 'shop-staging-memory-80', metric: 'memory' });
    await capability.deployGuard.guard(ctx);
    await capability.delete(ctx, 'shop-staging-memory-80');
    expect(aws.cloud.service('apps', 'web-staging')?.deploymentConfiguration?.alarms).toEqual({
      alarmNames: [],
      enable: false,
      rollback: true,
    });
    expect(alarms.has('shop-staging-memory-80')).toBe(false);
  });

  it('refuses to guard rollouts when the environment has no alarms Slipway made', async () => {
    await expect(aws.provider.capabilities.alarms.deployGuard.guard(ctx)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Create a cpu, memory or target5xx alarm first/),
    });
  });
});
