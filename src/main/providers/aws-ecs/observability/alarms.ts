// CloudWatch alarms of an ECS environment: those on its service (ClusterName + ServiceName dimensions)
// and on its load balancer target group. One DescribeAlarms listing per account and region is shared by
// every environment there for a few seconds, so the alarm watch costs one call per refresh, not one per
// environment. Alarms Slipway makes say so in their description; only those can be deleted here.
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type Dimension,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AppError } from '../../../../shared/errors.js';
import type { Alarm, AlarmMetric } from '../../../../shared/model.js';
import type { AlarmSpec } from '../../capabilities.js';
import type { EnvironmentContext } from '../../provider.js';
import type { ClientKey } from '../clients.js';
import { ecsTarget, environmentKey, readService, serviceLabel, type Runtime } from '../runtime.js';
import type { ObservabilityClients } from './clients.js';

export const ALARM_METRICS: readonly AlarmMetric[] = ['cpu', 'memory', 'target5xx'];
const LISTING_TTL_MS = 15_000;

/** How each metric is watched. Memory uses the highest task (one task running out of memory is stopped by ECS). */
const WATCHED = {
  cpu: { namespace: 'AWS/ECS', metric: 'CPUUtilization', statistic: 'Average', missing: 'missing', unit: '% CPU' },
  memory: {
    namespace: 'AWS/ECS',
    metric: 'MemoryUtilization',
    statistic: 'Maximum',
    missing: 'missing',
    unit: '% memory (highest instance)',
  },
  target5xx: {
    namespace: 'AWS/ApplicationELB',
    metric: 'HTTPCode_Target_5XX_Count',
    statistic: 'Sum',
    missing: 'notBreaching',
    unit: ' target 5xx responses',
  },
} as const;

const madeBy = (ctx: EnvironmentContext): string => `Made by Slipway for ${environmentKey(ctx)}.`;

/** `arn:…:targetgroup/web/0123` → `targetgroup/web/0123`; `arn:…:loadbalancer/app/web/0123` → `app/web/0123`. */
export const targetGroupDimension = (arn: string): string => arn.slice(arn.indexOf('targetgroup/'));
export const loadBalancerDimension = (arn: string): string =>
  arn.slice(arn.indexOf('loadbalancer/') + 'loadbalancer/'.length);

function dimensionsOf(alarm: MetricAlarm): Dimension[] {
  return [
    ...(alarm.Dimensions ?? []),
    ...(alarm.Metrics ?? []).flatMap((query) => query.MetricStat?.Metric?.Dimensions ?? []),
  ];
}

function belongsTo(alarm: MetricAlarm, cluster: string, service: string, targetGroups: ReadonlySet<string>): boolean {
  const dims = dimensionsOf(alarm);
  const has = (name: string, value: string): boolean => dims.some((d) => d.Name === name && d.Value === value);
  if (has('ClusterName', cluster) && has('ServiceName', service)) return true;
  return dims.some((d) => d.Name === 'TargetGroup' && d.Value !== undefined && targetGroups.has(d.Value));
}

function metricOf(alarm: MetricAlarm): Alarm['metric'] {
  for (const [metric, watched] of Object.entries(WATCHED)) {
    if (alarm.Namespace === watched.namespace && alarm.MetricName === watched.metric) return metric as AlarmMetric;
  }
  return 'other';
}

export function toAlarm(alarm: MetricAlarm, ctx: EnvironmentContext): Alarm {
  const period = alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
  const state = alarm.StateValue ?? 'INSUFFICIENT_DATA';
  return {
    name: alarm.AlarmName ?? '',
    metric: metricOf(alarm),
    threshold: alarm.Threshold ?? 0,
    periodSeconds: Math.max(1, period),
    evaluationPeriods: Math.max(1, alarm.EvaluationPeriods ?? 1),
    state,
    ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
    ...(alarm.StateUpdatedTimestamp ? { stateChangedAt: new Date(alarm.StateUpdatedTimestamp).toISOString() } : {}),
    managed: (alarm.AlarmDescription ?? '').startsWith(madeBy(ctx)),
    ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
  };
}

export class AlarmListings {
  private readonly entries = new Map<string, { at: number; alarms: Promise<MetricAlarm[]> }>();

  constructor(
    private readonly clients: ObservabilityClients,
    private readonly now: () => number,
  ) {}

  private static id(key: ClientKey): string {
    return `${key.profile ?? ''}\u0000${key.region}`;
  }

  list(key: ClientKey, fresh = false): Promise<MetricAlarm[]> {
    const id = AlarmListings.id(key);
    const cached = this.entries.get(id);
    if (!fresh && cached && this.now() - cached.at < LISTING_TTL_MS) return cached.alarms;
    const alarms = this.read(key);
    const entry = { at: this.now(), alarms };
    this.entries.set(id, entry);
    alarms.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    return alarms;
  }

  forget(key: ClientKey): void {
    this.entries.delete(AlarmListings.id(key));
  }

  private async read(key: ClientKey): Promise<MetricAlarm[]> {
    const alarms: MetricAlarm[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.clients.cloudwatch(
        key,
        new DescribeAlarmsCommand({
          AlarmTypes: ['MetricAlarm'],
          MaxRecords: 100,
          ...(NextToken ? { NextToken } : {}),
        }),
        'the CloudWatch alarms',
      );
      alarms.push(...(out.MetricAlarms ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    return alarms;
  }
}

export interface AlarmDeps {
  readonly rt: Runtime;
  readonly clients: ObservabilityClients;
  readonly listings: AlarmListings;
}

const targetGroupsOf = (service: Service): string[] =>
  (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : []));

async function environmentAlarms(deps: AlarmDeps, ctx: EnvironmentContext, fresh: boolean): Promise<MetricAlarm[]> {
  const target = ecsTarget(ctx);
  const service = await readService(deps.rt, ctx);
  const targetGroups = new Set(targetGroupsOf(service).map(targetGroupDimension));
  const all = await deps.listings.list(target, fresh);
  return all.filter((alarm) => belongsTo(alarm, target.cluster, target.service, targetGroups));
}

export async function listAlarms(deps: AlarmDeps, ctx: EnvironmentContext): Promise<Alarm[]> {
  return (await environmentAlarms(deps, ctx, false))
    .map((alarm) => toAlarm(alarm, ctx))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function describeSpec(
  spec: Pick<AlarmSpec, 'metric' | 'threshold' | 'periodSeconds' | 'evaluationPeriods'>,
): string {
  const periods = spec.evaluationPeriods === 1 ? '' : `${spec.evaluationPeriods} × `;
  return `Above ${spec.threshold}${WATCHED[spec.metric].unit} for ${periods}${spec.periodSeconds} s.`;
}

async function dimensionsFor(deps: AlarmDeps, ctx: EnvironmentContext, metric: AlarmMetric): Promise<Dimension[]> {
  const target = ecsTarget(ctx);
  if (metric !== 'target5xx') {
    return [
      { Name: 'ClusterName', Value: target.cluster },
      { Name: 'ServiceName', Value: target.service },
    ];
  }
  const service = await readService(deps.rt, ctx, true);
  const [targetGroup] = targetGroupsOf(service);
  if (targetGroup === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `The ${serviceLabel(target)} is not behind a load balancer target group, so it has no target 5xx count to alarm on. Alarm on cpu or memory instead.`,
    );
  }
  const out = await deps.rt
    .session(target)
    .elb(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroup] }),
      `target group of ${serviceLabel(target)}`,
    );
  const [loadBalancer] = out.TargetGroups?.[0]?.LoadBalancerArns ?? [];
  if (loadBalancer === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `The target group of ${serviceLabel(target)} is attached to no load balancer, so it has no 5xx count yet. Attach it to a load balancer first.`,
    );
  }
  return [
    { Name: 'TargetGroup', Value: targetGroupDimension(targetGroup) },
    { Name: 'LoadBalancer', Value: loadBalancerDimension(loadBalancer) },
  ];
}

export async function createAlarm(deps: AlarmDeps, ctx: EnvironmentContext, spec: AlarmSpec): Promise<Alarm> {
  const target = ecsTarget(ctx);
  if (spec.periodSeconds % 60 !== 0) {
    throw new AppError(
      'INVALID_INPUT',
      `ECS and load balancer metrics have one point a minute, so an alarm's period is a whole number of minutes (60, 120, …), not ${spec.periodSeconds} s.`,
    );
  }
  const existing = await deps.clients.cloudwatch(
    target,
    new DescribeAlarmsCommand({ AlarmNames: [spec.name] }),
    `alarm ${spec.name}`,
  );
  if ((existing.MetricAlarms?.length ?? 0) + (existing.CompositeAlarms?.length ?? 0) > 0) {
    throw new AppError(
      'CONFLICT',
      `An alarm named ${spec.name} already exists in ${target.region}; CloudWatch alarm names are unique per account and region. Pick another name.`,
    );
  }
  const watched = WATCHED[spec.metric];
  const description = `${madeBy(ctx)} ${describeSpec(spec)}`;
  await deps.clients.cloudwatch(
    target,
    new PutMetricAlarmCommand({
      AlarmName: spec.name,
      AlarmDescription: description,
      Namespace: watched.namespace,
      MetricName: watched.metric,
      Dimensions: await dimensionsFor(deps, ctx, spec.metric),
      Statistic: watched.statistic,
      Period: spec.periodSeconds,
      EvaluationPeriods: spec.evaluationPeriods,
      Threshold: spec.threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: watched.missing,
    }),
    `alarm ${spec.name}`,
  );
  deps.listings.forget(target);
  return {
    name: spec.name,
    metric: spec.metric,
    threshold: spec.threshold,
    periodSeconds: spec.periodSeconds,
    evaluationPeriods: spec.evaluationPeriods,
    state: 'INSUFFICIENT_DATA',
    managed: true,
    description,
  };
}

export async function deleteAlarm(deps: AlarmDeps, ctx: EnvironmentContext, name: string): Promise<void> {
  const target = ecsTarget(ctx);
  const alarm = (await environmentAlarms(deps, ctx, true)).find((candidate) => candidate.AlarmName === name);
  if (!alarm) {
    throw new AppError(
      'NOT_FOUND',
      `The ${serviceLabel(target)} has no alarm named ${name}. List its alarms to see their names.`,
    );
  }
  if (!toAlarm(alarm, ctx).managed) {
    throw new AppError(
      'INVALID_INPUT',
      `Alarm ${name} was made outside Slipway, so Slipway leaves it alone. Delete it in the CloudWatch console if it should go.`,
    );
  }
  await detachFromDeploys(deps, ctx, name);
  await deps.clients.cloudwatch(target, new DeleteAlarmsCommand({ AlarmNames: [name] }), `alarm ${name}`);
  deps.listings.forget(target);
}

export interface DeployAlarms {
  /** Alarms ECS watches during a rollout. */
  readonly alarms: string[];
  /** ECS rolls a rollout back when one of them fires. */
  readonly rollback: boolean;
  readonly changed: boolean;
}

/** A deleted alarm is first taken off the service's deployment alarms, so rollouts never wait on a missing one. */
async function detachFromDeploys(deps: AlarmDeps, ctx: EnvironmentContext, name: string): Promise<void> {
  const service = await readService(deps.rt, ctx, true);
  const current = service.deploymentConfiguration?.alarms;
  if (!current?.alarmNames?.includes(name)) return;
  const alarmNames = current.alarmNames.filter((other) => other !== name);
  await updateDeploymentAlarms(deps, ctx, service, {
    alarmNames,
    enable: alarmNames.length > 0 && current.enable === true,
    rollback: current.rollback === true,
  });
}

async function updateDeploymentAlarms(
  deps: AlarmDeps,
  ctx: EnvironmentContext,
  service: Service,
  alarms: { alarmNames: string[]; enable: boolean; rollback: boolean },
): Promise<Service> {
  const target = ecsTarget(ctx);
  const out = await deps.rt.session(target).ecs(
    new UpdateServiceCommand({
      cluster: target.cluster,
      service: target.service,
      // Only the alarms change; every other deployment setting is sent back as it is.
      deploymentConfiguration: { ...service.deploymentConfiguration, alarms },
    }),
    serviceLabel(target),
  );
  if (out.service) deps.rt.services.put(target, out.service);
  else deps.rt.services.forget(target);
  return out.service ?? service;
}

/**
 * ECS deployment alarms: a rollout is watched by these alarms and rolled back when one fires. Adds the
 * named alarms (default: every alarm Slipway made for the environment) to those already watched.
 */
export async function guardDeploys(
  deps: AlarmDeps,
  ctx: EnvironmentContext,
  names?: readonly string[],
): Promise<DeployAlarms> {
  const target = ecsTarget(ctx);
  const service = await readService(deps.rt, ctx, true);
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new AppError(
      'INVALID_INPUT',
      `The ${serviceLabel(target)} uses the ${controller} deployment controller; ECS deployment alarms work only with the ECS controller.`,
    );
  }
  const alarms = (await environmentAlarms(deps, ctx, true)).map((alarm) => toAlarm(alarm, ctx));
  const wanted = names ?? alarms.filter((alarm) => alarm.managed).map((alarm) => alarm.name);
  const unknown = wanted.filter((name) => !alarms.some((alarm) => alarm.name === name));
  if (unknown.length > 0) {
    throw new AppError('NOT_FOUND', `The ${serviceLabel(target)} has no alarm named ${unknown.join(', ')}.`);
  }
  if (wanted.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `The ${serviceLabel(target)} has no alarms Slipway made to watch its rollouts. Create a cpu, memory or target5xx alarm first.`,
    );
  }
  const current = service.deploymentConfiguration?.alarms;
  const alarmNames = [...new Set([...(current?.alarmNames ?? []), ...wanted])];
  if (current?.enable && current.rollback && alarmNames.length === (current.alarmNames ?? []).length) {
    return { alarms: alarmNames, rollback: true, changed: false };
  }
  const updated = await updateDeploymentAlarms(deps, ctx, service, { alarmNames, enable: true, rollback: true });
  const after = updated.deploymentConfiguration?.alarms;
  return { alarms: after?.alarmNames ?? alarmNames, rollback: after?.rollback ?? true, changed: true };
}
