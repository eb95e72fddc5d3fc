// Logs, metrics and alarms of an environment, for providers that offer them. The core asks
// `provider.capabilities` and never the provider's kind.
import {
  METRIC_RANGE_SPANS,
  type LogPage,
  type LogTailEvent,
  type MetricsResult,
  type ProcedureArgs,
  type StreamArgs,
} from '../../shared/contract/index.js';
import { AppError, isAppError, toWire } from '../../shared/errors.js';
import type { Alarm, CapabilityName } from '../../shared/model.js';
import type { ProviderCapabilities } from '../providers/capabilities.js';
import type { Disposable } from '../util/disposable.js';
import { environmentEvent } from './audit-event.js';
import { boundedTail } from './bounded-tail.js';
import { resolveEnvironment, type CoreDeps, type ResolvedEnvironment } from './core-deps.js';
import { appendAudit } from './release-runner.js';

const HOUR_MS = 3_600_000;

const WHAT: Record<'logs' | 'metrics' | 'alarms', string> = {
  logs: 'show its logs',
  metrics: 'show CPU and memory metrics',
  alarms: 'keep alarms',
};

/** The capability, or a clear INVALID_INPUT naming the environment and what it cannot do. */
async function offered<K extends 'logs' | 'metrics' | 'alarms'>(
  deps: CoreDeps,
  args: { pipeline: string; environment: string },
  name: K & CapabilityName,
): Promise<ResolvedEnvironment & { capability: NonNullable<ProviderCapabilities[K]> }> {
  const resolved = await resolveEnvironment(deps, args.pipeline, args.environment);
  const capability = resolved.provider.capabilities[name];
  if (!capability) {
    throw new AppError(
      'INVALID_INPUT',
      `${args.environment} runs on the ${resolved.provider.kind} provider, which cannot ${WHAT[name]}.`,
    );
  }
  return { ...resolved, capability: capability as NonNullable<ProviderCapabilities[K]> };
}

export async function searchLogs(deps: CoreDeps, args: ProcedureArgs<'logs.search'>): Promise<LogPage> {
  const until = args.until ? Date.parse(args.until) : Date.now();
  const since = args.since ? Date.parse(args.since) : until - HOUR_MS;
  if (since >= until) {
    throw new AppError('INVALID_INPUT', 'The search starts after it ends; give a "since" earlier than "until".');
  }
  const { ctx, capability } = await offered(deps, args, 'logs');
  return capability.search(ctx, {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    limit: args.limit,
    ...(args.instance === undefined ? {} : { instance: args.instance }),
    ...(args.filter === undefined ? {} : { filter: args.filter }),
    ...(args.nextToken === undefined ? {} : { nextToken: args.nextToken }),
  });
}

/** A bounded live tail: see bounded-tail.ts. */
export function tailLogs(
  deps: CoreDeps,
  args: StreamArgs<'logs.tail'>,
  emit: (event: LogTailEvent) => void,
  backlog?: () => number,
): Disposable {
  return boundedTail(
    async (signal) => {
      const { ctx, capability } = await offered(deps, args, 'logs');
      return capability.tail(
        ctx,
        {
          ...(args.instance === undefined ? {} : { instance: args.instance }),
          ...(args.filter === undefined ? {} : { filter: args.filter }),
          ...(args.since === undefined ? {} : { since: args.since }),
        },
        signal,
      );
    },
    emit,
    backlog ? { backlog } : {},
  );
}

export async function getMetrics(deps: CoreDeps, args: ProcedureArgs<'metrics.get'>): Promise<MetricsResult> {
  const { ctx, provider, capability } = await offered(deps, args, 'metrics');
  const span = METRIC_RANGE_SPANS[args.range];
  const untilMs = Date.now();
  const sinceMs = untilMs - span.seconds * 1000;
  const since = new Date(sinceMs).toISOString();
  const until = new Date(untilMs).toISOString();
  const [answer, releases] = await Promise.all([
    capability.series(ctx, { since, until, periodSeconds: span.periodSeconds }),
    provider.listReleases(ctx),
  ]);
  const markers = releases
    .filter((release) => release.status === 'succeeded')
    .filter((release) => {
      const at = Date.parse(release.createdAt);
      return at >= sinceMs && at <= untilMs;
    })
    .map((release) => ({
      version: release.version,
      kind: release.kind,
      time: release.createdAt,
      description: release.description,
    }))
    .reverse();
  return {
    range: args.range,
    since,
    until,
    periodSeconds: span.periodSeconds,
    series: answer.series,
    releases: markers,
    notes: [...(answer.notes ?? [])],
    ...(answer.detailedOffer && capability.detailed ? { detailedOffer: { ...answer.detailedOffer } } : {}),
  };
}

export async function listAlarms(deps: CoreDeps, args: ProcedureArgs<'alarms.list'>): Promise<Alarm[]> {
  const { ctx, capability } = await offered(deps, args, 'alarms');
  return capability.list(ctx);
}

const UNITS = { cpu: '% CPU', memory: '% memory', target5xx: ' target 5xx responses' } as const;

export function describeAlarm(alarm: {
  metric: Alarm['metric'];
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
}): string {
  const what = alarm.metric === 'other' ? `above ${alarm.threshold}` : `above ${alarm.threshold}${UNITS[alarm.metric]}`;
  const periods = alarm.evaluationPeriods === 1 ? '' : `${alarm.evaluationPeriods} × `;
  return `${what} for ${periods}${alarm.periodSeconds} s`;
}

/** Refusals change nothing and are not worth a feed entry; a failed attempt at the provider is. */
async function audited<T>(
  deps: CoreDeps,
  args: { pipeline: string; environment: string },
  action: 'alarm.create' | 'alarm.delete',
  work: () => Promise<T>,
  done: (value: T) => string,
  failed: string,
): Promise<T> {
  const event = environmentEvent(await deps.actor(), action, args);
  try {
    const value = await work();
    await appendAudit(deps, event('succeeded', done(value)));
    return value;
  } catch (error) {
    if (!(isAppError(error) && ['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT'].includes(error.code))) {
      const wire = toWire(error);
      await appendAudit(deps, event('failed', `${failed}: ${wire.message}`, wire.code));
    }
    throw error;
  }
}

export async function createAlarm(deps: CoreDeps, args: ProcedureArgs<'alarms.create'>): Promise<Alarm> {
  const { ctx, capability } = await offered(deps, args, 'alarms');
  if (!capability.metrics.includes(args.metric)) {
    throw new AppError(
      'INVALID_INPUT',
      `${args.environment} cannot alarm on ${args.metric}; it can alarm on ${capability.metrics.join(', ')}.`,
    );
  }
  if (args.metric !== 'target5xx' && args.threshold > 100) {
    throw new AppError('INVALID_INPUT', `A ${args.metric} threshold is a percentage from 0 to 100.`);
  }
  const name = args.name ?? `${args.pipeline}-${args.environment}-${args.metric}-${args.threshold}`;
  return audited(
    deps,
    args,
    'alarm.create',
    () =>
      capability.create(ctx, {
        name,
        metric: args.metric,
        threshold: args.threshold,
        periodSeconds: args.periodSeconds,
        evaluationPeriods: args.evaluationPeriods,
      }),
    (alarm) => `Created alarm ${alarm.name} on ${args.environment}: ${describeAlarm(alarm)}`,
    `Creating alarm ${name} on ${args.environment} failed`,
  );
}

export async function deleteAlarm(deps: CoreDeps, args: ProcedureArgs<'alarms.delete'>): Promise<{ name: string }> {
  const { ctx, capability } = await offered(deps, args, 'alarms');
  return audited(
    deps,
    args,
    'alarm.delete',
    async () => {
      await capability.delete(ctx, args.name);
      return { name: args.name };
    },
    () => `Deleted alarm ${args.name} on ${args.environment}`,
    `Deleting alarm ${args.name} on ${args.environment} failed`,
  );
}
