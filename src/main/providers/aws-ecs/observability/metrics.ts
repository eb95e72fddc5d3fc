// CPU and memory of an ECS environment from CloudWatch, in as few GetMetricData calls as the API allows:
// every series goes into one request (up to 500 queries and 100,800 points a call; NextToken past that).
//
// - Always: the service's AWS/ECS CPUUtilization and MemoryUtilization, average with a minimum–maximum
//   band (free; ECS publishes them for every service).
// - With Container Insights' enhanced observability on the cluster: one series per task from
//   ECS/ContainerInsights (TaskId dimension), found by a SEARCH expression, so tasks replaced during the
//   range (a deploy) show as lines that end and begin, without listing tasks first.
import { GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DescribeClustersCommand, UpdateClusterSettingsCommand } from '@aws-sdk/client-ecs';
import type { MetricSeries } from '../../../../shared/model.js';
import type { MetricAnswer, MetricQuery } from '../../capabilities.js';
import type { EnvironmentContext } from '../../provider.js';
import { ecsTarget, type Runtime } from '../runtime.js';
import type { ObservabilityClients } from './clients.js';

/** Both sources keep one-minute points; asking for finer gives nothing more. */
const FINEST_PERIOD_S = 60;
const INSIGHTS_TTL_MS = 5 * 60_000;

export type InsightsLevel = 'enhanced' | 'enabled' | 'disabled';

export const INSIGHTS_COST =
  'CloudWatch bills Container Insights: its metrics as custom metrics and the performance log events it writes as log ingestion; enhanced observability adds metrics for every task and container, so the bill grows with the number of tasks (prices: https://aws.amazon.com/cloudwatch/pricing/).';

const STATS = [
  ['Average', 'average'],
  ['Minimum', 'minimum'],
  ['Maximum', 'maximum'],
] as const;

const METRICS = [
  ['cpu', 'CPUUtilization', 'TaskCpuUtilization'],
  ['memory', 'MemoryUtilization', 'TaskMemoryUtilization'],
] as const;

export class InsightsCache {
  private readonly entries = new Map<string, { level: InsightsLevel; at: number }>();

  constructor(private readonly now: () => number) {}

  async level(rt: Runtime, ctx: EnvironmentContext, fresh = false): Promise<InsightsLevel> {
    const target = ecsTarget(ctx);
    const key = [target.profile ?? '', target.region, target.cluster].join('\u0000');
    const cached = this.entries.get(key);
    if (!fresh && cached && this.now() - cached.at < INSIGHTS_TTL_MS) return cached.level;
    const out = await rt
      .session(target)
      .ecs(
        new DescribeClustersCommand({ clusters: [target.cluster], include: ['SETTINGS'] }),
        `cluster ${target.cluster}`,
      );
    const value = out.clusters?.[0]?.settings?.find((s) => s.name === 'containerInsights')?.value;
    const level: InsightsLevel = value === 'enhanced' ? 'enhanced' : value === 'enabled' ? 'enabled' : 'disabled';
    this.entries.set(key, { level, at: this.now() });
    return level;
  }

  forget(ctx: EnvironmentContext): void {
    const target = ecsTarget(ctx);
    this.entries.delete([target.profile ?? '', target.region, target.cluster].join('\u0000'));
  }
}

export function metricQueries(ctx: EnvironmentContext, level: InsightsLevel, periodSeconds: number): MetricDataQuery[] {
  const { cluster, service } = ecsTarget(ctx);
  const dimensions = [
    { Name: 'ClusterName', Value: cluster },
    { Name: 'ServiceName', Value: service },
  ];
  const queries: MetricDataQuery[] = [];
  for (const [metric, name] of METRICS) {
    for (const [stat, short] of STATS) {
      queries.push({
        Id: `env_${metric}_${short}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/ECS', MetricName: name, Dimensions: dimensions },
          Period: periodSeconds,
          Stat: stat,
        },
      });
    }
  }
  if (level === 'enhanced') {
    const quote = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;
    for (const [metric, , taskMetric] of METRICS) {
      queries.push({
        Id: `task_${metric}`,
        Expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName="${taskMetric}" ClusterName=${quote(cluster)} ServiceName=${quote(service)}', 'Average', ${periodSeconds})`,
        // One series per task, each labelled with its task id.
        Label: "${PROP('Dim.TaskId')}",
      });
    }
  }
  return queries;
}

function toSeries(results: readonly MetricDataResult[]): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  for (const result of results) {
    const id = result.Id ?? '';
    const env = /^env_(cpu|memory)_(average|minimum|maximum)$/.exec(id);
    const task = /^task_(cpu|memory)$/.exec(id);
    const metric = (env?.[1] ?? task?.[1]) as MetricSeries['metric'] | undefined;
    if (metric === undefined) continue;
    const instance = task ? result.Label : undefined;
    if (task && (instance === undefined || instance === '')) continue;
    const stat = (env?.[2] ?? 'average') as MetricSeries['stat'];
    const key = `${id}\u0000${instance ?? ''}`;
    const entry = series.get(key) ?? {
      metric,
      unit: 'percent' as const,
      ...(instance === undefined ? {} : { instance }),
      stat,
      points: [],
    };
    const times = result.Timestamps ?? [];
    const values = result.Values ?? [];
    for (let i = 0; i < times.length && i < values.length; i++) {
      entry.points.push({ time: new Date(times[i] ?? 0).toISOString(), value: values[i] ?? 0 });
    }
    series.set(key, entry);
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a.time.localeCompare(b.time));
  return [...series.values()].filter((entry) => entry.instance === undefined || entry.points.length > 0);
}

export function insightsNote(level: InsightsLevel, cluster: string): string | undefined {
  if (level === 'enhanced') return undefined;
  const why =
    level === 'enabled'
      ? `Container Insights on cluster ${cluster} is on without enhanced observability, which per-instance graphs need`
      : `Per-instance graphs need Container Insights with enhanced observability on cluster ${cluster}, which is off`;
  return `${why}; these are the service's average with its minimum–maximum band. Turning it on is one cluster setting. ${INSIGHTS_COST}`;
}

export interface MetricRead extends MetricAnswer {
  /** GetMetricData calls it took. */
  readonly calls: number;
}

export async function readMetrics(
  rt: Runtime,
  clients: ObservabilityClients,
  insights: InsightsCache,
  ctx: EnvironmentContext,
  query: MetricQuery,
): Promise<MetricRead> {
  const target = ecsTarget(ctx);
  const level = await insights.level(rt, ctx);
  const period = Math.max(FINEST_PERIOD_S, Math.ceil(query.periodSeconds / FINEST_PERIOD_S) * FINEST_PERIOD_S);
  const queries = metricQueries(ctx, level, period);
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const out = await clients.cloudwatch(
      target,
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(query.since),
        EndTime: new Date(query.until),
        ScanBy: 'TimestampAscending',
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
      `metrics of service ${target.service} in cluster ${target.cluster}`,
    );
    calls++;
    results.push(...(out.MetricDataResults ?? []));
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  const note = insightsNote(level, target.cluster);
  return {
    series: toSeries(results),
    ...(note === undefined
      ? {}
      : { notes: [note], detailedOffer: { what: 'Container Insights', cost: INSIGHTS_COST } }),
    calls,
  };
}

export interface InsightsChange {
  readonly before: InsightsLevel;
  readonly after: InsightsLevel;
  readonly changed: boolean;
  /** What it costs, in a sentence. */
  readonly cost: string;
}

/** Turns on Container Insights with enhanced observability for the environment's cluster: one ECS call. */
export async function enableInsights(
  rt: Runtime,
  insights: InsightsCache,
  ctx: EnvironmentContext,
): Promise<InsightsChange> {
  const target = ecsTarget(ctx);
  const before = await insights.level(rt, ctx, true);
  if (before === 'enhanced') return { before, after: before, changed: false, cost: INSIGHTS_COST };
  const out = await rt.session(target).ecs(
    new UpdateClusterSettingsCommand({
      cluster: target.cluster,
      settings: [{ name: 'containerInsights', value: 'enhanced' }],
    }),
    `cluster ${target.cluster}`,
  );
  insights.forget(ctx);
  const value = out.cluster?.settings?.find((s) => s.name === 'containerInsights')?.value;
  const after: InsightsLevel = value === 'enhanced' ? 'enhanced' : value === 'enabled' ? 'enabled' : 'disabled';
  return { before, after, changed: true, cost: INSIGHTS_COST };
}
