// ECS metrics against the AWS emulator: PutMetricData → the environment's series from GetMetricData;
// per-task series and the Container Insights switch where the emulator falls short (said per test).
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DescribeClustersCommand, ECSClient, UpdateClusterSettingsCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ObservabilityClients } from './clients.js';
import { createEcsObservability } from './index.js';
import { InsightsCache, readMetrics } from './metrics.js';
import { emulatorEnvironment, REGION, type EmulatorEnvironment } from './testing/emulator-environment.js';
import { answerLikeCloudWatch } from './testing/metric-data.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

async function environment(insights: 'enhanced' | 'disabled'): Promise<EmulatorEnvironment> {
  const env = await emulatorEnvironment({ insights });
  cleanups.push(() => env.dispose());
  return env;
}

const HOUR = 3_600_000;

describe('ECS metrics (emulator)', () => {
  it("reads the service's CPU and memory with a minimum–maximum band in one GetMetricData call", async () => {
    const env = await environment('disabled');
    const cloudwatch = new CloudWatchClient({ region: REGION });
    cleanups.push(() => cloudwatch.destroy());
    const at = new Date(Date.now() - 10 * 60_000);
    const dimensions = [
      { Name: 'ClusterName', Value: env.cluster },
      { Name: 'ServiceName', Value: env.service },
    ];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ECS',
        MetricData: [
          ...[10, 20, 30].map((Value) => ({
            MetricName: 'CPUUtilization',
            Dimensions: dimensions,
            Value,
            Timestamp: at,
          })),
          ...[40, 60].map((Value) => ({
            MetricName: 'MemoryUtilization',
            Dimensions: dimensions,
            Value,
            Timestamp: at,
          })),
        ],
      }),
    );
    const clients = new ObservabilityClients();
    cleanups.push(() => clients.dispose());
    const until = new Date();
    const read = await readMetrics(env.rt, clients, new InsightsCache(Date.now), env.ctx, {
      since: new Date(until.getTime() - HOUR).toISOString(),
      until: until.toISOString(),
      periodSeconds: 30,
    });
    expect(read.calls).toBe(1);
    const value = (metric: string, stat: string): number[] =>
      read.series
        .filter((s) => s.metric === metric && s.stat === stat && !s.instance)
        .flatMap((s) => s.points.map((p) => p.value));
    expect(value('cpu', 'average')).toEqual([20]);
    expect(value('cpu', 'minimum')).toEqual([10]);
    expect(value('cpu', 'maximum')).toEqual([30]);
    expect(value('memory', 'maximum')).toEqual([60]);
    expect(read.series.every((s) => s.unit === 'percent')).toBe(true);
    expect(read.notes?.join(' ')).toMatch(/Container Insights .* off.*CloudWatch bills/);
    // The window offers to turn it on, with the cost.
    expect(read.detailedOffer).toEqual({
      what: 'Container Insights',
      cost: expect.stringMatching(/^CloudWatch bills/),
    });
  });

  it('draws one line per task for 20 tasks over 24 h in one GetMetricData call (mock: the emulator answers SEARCH expressions with nothing)', async () => {
    const env = await environment('enhanced');
    const tasks = Array.from({ length: 20 }, (_, i) => `task${String(i).padStart(2, '0')}`);
    const cloudwatch = mockClient(CloudWatchClient);
    cleanups.push(() => cloudwatch.restore());
    const asked: GetMetricDataCommandInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      asked.push(input);
      return answerLikeCloudWatch(input, tasks);
    });
    const obs = createEcsObservability(env.rt);
    cleanups.push(() => obs.dispose());
    const until = Date.now();
    const answer = await obs.metrics.series(env.ctx, {
      since: new Date(until - 24 * HOUR).toISOString(),
      until: new Date(until).toISOString(),
      periodSeconds: 300,
    });
    expect(asked).toHaveLength(1);
    const perTask = answer.series.filter((s) => s.instance !== undefined);
    expect(new Set(perTask.map((s) => s.instance))).toEqual(new Set(tasks));
    expect(perTask.filter((s) => s.metric === 'cpu')).toHaveLength(20);
    expect(perTask.filter((s) => s.metric === 'memory')).toHaveLength(20);
    expect(perTask[0]?.points).toHaveLength(288);
    expect(answer.notes ?? []).toEqual([]);
    expect(answer.detailedOffer).toBeUndefined();
    const search = asked[0]?.MetricDataQueries?.find((q) => q.Id === 'task_cpu');
    expect(search?.Expression).toContain(`ClusterName="${env.cluster}" ServiceName="${env.service}"`);
  });

  it('follows NextToken when the points pass what one call returns (mock: the emulator answers SEARCH expressions with nothing)', async () => {
    const env = await environment('enhanced');
    const tasks = Array.from({ length: 80 }, (_, i) => `t${i}`);
    const cloudwatch = mockClient(CloudWatchClient);
    cleanups.push(() => cloudwatch.restore());
    cloudwatch
      .on(GetMetricDataCommand)
      .callsFake((input: GetMetricDataCommandInput) => answerLikeCloudWatch(input, tasks));
    const clients = new ObservabilityClients();
    cleanups.push(() => clients.dispose());
    const until = Date.now();
    const read = await readMetrics(env.rt, clients, new InsightsCache(Date.now), env.ctx, {
      since: new Date(until - 24 * HOUR).toISOString(),
      until: new Date(until).toISOString(),
      periodSeconds: 60,
    });
    // 166 series × 1,440 points = 239,040 points; CloudWatch returns at most 100,800 a call.
    expect(read.calls).toBe(3);
    const lengths = new Set(read.series.map((s) => s.points.length));
    expect(lengths).toEqual(new Set([1_440]));
  });

  it('turns Container Insights on with one call, then reads per-task metrics (mock: the emulator has no UpdateClusterSettings)', async () => {
    const ecs = mockClient(ECSClient);
    cleanups.push(() => ecs.restore());
    const env = { rt: (await import('../runtime.js')).createRuntime({}) };
    cleanups.push(() => env.rt.pool.dispose());
    let level = 'disabled';
    ecs.on(DescribeClustersCommand).callsFake(() => ({
      clusters: [{ clusterName: 'apps', settings: [{ name: 'containerInsights', value: level }] }],
    }));
    ecs.on(UpdateClusterSettingsCommand).callsFake((input: { settings: { value: string }[] }) => {
      level = input.settings[0]?.value ?? level;
      return { cluster: { clusterName: 'apps', settings: [{ name: 'containerInsights', value: level }] } };
    });
    const obs = createEcsObservability(env.rt);
    cleanups.push(() => obs.dispose());
    const ctx = (await import('../testing/fixtures.js')).ecsContext();
    const change = await obs.metrics.detailed.enable(ctx);
    expect(change.changed).toBe(true);
    expect(change.cost).toMatch(/CloudWatch bills Container Insights/);
    expect(ecs.commandCalls(UpdateClusterSettingsCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'apps', settings: [{ name: 'containerInsights', value: 'enhanced' }] },
    ]);
    const again = await obs.metrics.detailed.enable(ctx);
    expect(again.changed).toBe(false);
    expect(ecs.commandCalls(UpdateClusterSettingsCommand)).toHaveLength(1);
  });
});
