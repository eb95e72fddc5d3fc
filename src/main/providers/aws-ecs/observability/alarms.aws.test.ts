// ECS alarms against the AWS emulator: PutMetricAlarm / DescribeAlarms / DeleteAlarms through the
// alarms capability, with alarms made outside Slipway shown but left alone.
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { createEcsObservability } from './index.js';
import { emulatorEnvironment, REGION } from './testing/emulator-environment.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

async function setUp() {
  const env = await emulatorEnvironment();
  const obs = createEcsObservability(env.rt);
  const cloudwatch = new CloudWatchClient({ region: REGION });
  cleanups.push(() => (obs.dispose(), env.dispose(), cloudwatch.destroy()));
  const service = [
    { Name: 'ClusterName', Value: env.cluster },
    { Name: 'ServiceName', Value: env.service },
  ];
  return { env, obs, cloudwatch, service };
}

const spec = { threshold: 80, periodSeconds: 120, evaluationPeriods: 3 };

describe('ECS alarms (emulator)', () => {
  it('creates an alarm on the service, lists it with its state, and deletes it', async () => {
    const { env, obs, cloudwatch } = await setUp();
    const name = `${env.service}-memory-80`;
    cleanups.push(() => cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] })));
    const made = await obs.alarms.create(env.ctx, { ...spec, name, metric: 'memory' });
    expect(made).toMatchObject({ name, metric: 'memory', state: 'INSUFFICIENT_DATA', managed: true });

    const stored = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
    expect(stored).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'MemoryUtilization',
      Statistic: 'Maximum',
      Period: 120,
      EvaluationPeriods: 3,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(stored?.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'ClusterName', Value: env.cluster },
        { Name: 'ServiceName', Value: env.service },
      ]),
    );

    await cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: name,
        StateValue: 'ALARM',
        StateReason: 'Threshold crossed: 1 datapoint [93.0]',
      }),
    );
    // The listing is shared for 15 s; a fresh reader (the next refresh) sees the new state.
    const later = createEcsObservability(env.rt);
    cleanups.push(() => later.dispose());
    expect(await later.alarms.list(env.ctx)).toEqual([
      expect.objectContaining({ name, state: 'ALARM', reason: 'Threshold crossed: 1 datapoint [93.0]', managed: true }),
    ]);

    await obs.alarms.delete(env.ctx, name);
    expect(await obs.alarms.list(env.ctx)).toEqual([]);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? []).toEqual([]);
  });

  it('refuses a name that is taken, a period that is not whole minutes, and 5xx without a load balancer', async () => {
    const { env, obs, cloudwatch } = await setUp();
    const name = `${env.service}-cpu-90`;
    cleanups.push(() => cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] })));
    await obs.alarms.create(env.ctx, { ...spec, name, metric: 'cpu', threshold: 90 });
    await expect(obs.alarms.create(env.ctx, { ...spec, name, metric: 'memory' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      obs.alarms.create(env.ctx, { ...spec, name: `${name}-b`, metric: 'cpu', periodSeconds: 90 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/whole number of minutes/) });
    await expect(obs.alarms.create(env.ctx, { ...spec, name: `${name}-c`, metric: 'target5xx' })).rejects.toMatchObject(
      { code: 'INVALID_INPUT', message: expect.stringMatching(/not behind a load balancer/) },
    );
    // The refused ones left nothing behind, and the first one is unchanged.
    const alarms = await obs.alarms.list(env.ctx);
    expect(alarms.map((a) => [a.name, a.metric, a.threshold])).toEqual([[name, 'cpu', 90]]);
  });

  it("shows alarms made outside Slipway on the service and leaves them alone; other services' alarms are not listed", async () => {
    const { env, obs, cloudwatch, service } = await setUp();
    const outside = `${env.service}-made-by-hand`;
    const elsewhere = `${env.service}-other-service`;
    cleanups.push(() => cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [outside, elsewhere] })));
    const alarm = {
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average' as const,
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 75,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
    };
    await cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: outside, Dimensions: service }));
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        ...alarm,
        AlarmName: elsewhere,
        Dimensions: [
          { Name: 'ClusterName', Value: env.cluster },
          { Name: 'ServiceName', Value: 'another-service' },
        ],
      }),
    );
    expect(await obs.alarms.list(env.ctx)).toEqual([
      expect.objectContaining({
        name: outside,
        metric: 'cpu',
        threshold: 75,
        periodSeconds: 300,
        evaluationPeriods: 2,
        managed: false,
      }),
    ]);
    await expect(obs.alarms.delete(env.ctx, outside)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(obs.alarms.delete(env.ctx, elsewhere)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [outside, elsewhere] }))).MetricAlarms,
    ).toHaveLength(2);
  });
});
