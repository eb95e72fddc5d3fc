// The aws-ecs provider's logs, metrics and alarms capabilities (CloudWatch Logs and CloudWatch).
import type { AlarmControl, LogSource, MetricSource } from '../../capabilities.js';
import { realSleep } from '../async-util.js';
import type { Runtime } from '../runtime.js';
import { ALARM_METRICS, AlarmListings, createAlarm, deleteAlarm, guardDeploys, listAlarms } from './alarms.js';
import { ObservabilityClients } from './clients.js';
import { searchLogs } from './log-search.js';
import { TaskReleases } from './log-sources.js';
import { tailLogs, type TailOptions } from './live-tail.js';
import { enableInsights, InsightsCache, readMetrics } from './metrics.js';

export interface EcsObservability {
  readonly logs: LogSource;
  readonly metrics: MetricSource & { readonly detailed: NonNullable<MetricSource['detailed']> };
  readonly alarms: AlarmControl & { readonly deployGuard: NonNullable<AlarmControl['deployGuard']> };
  dispose(): void;
}

export interface EcsObservabilityOptions extends Partial<Omit<TailOptions, 'now' | 'sleep'>> {
  /** How often the alarm watch re-reads alarm states. */
  readonly alarmRefreshMs?: number;
  /** Tests stand a stub in for one client (e.g. a refused StartLiveTail). */
  readonly clients?: ObservabilityClients;
}

export function createEcsObservability(rt: Runtime, options: EcsObservabilityOptions = {}): EcsObservability {
  const clients = options.clients ?? new ObservabilityClients();
  const releases = new TaskReleases(rt.now);
  const insights = new InsightsCache(rt.now);
  const listings = new AlarmListings(clients, rt.now);
  const alarmDeps = { rt, clients, listings };
  const tail = {
    rt,
    clients,
    releases,
    options: {
      pollMs: options.pollMs ?? 2_000,
      reconnectMs: options.reconnectMs ?? 1_000,
      // Real timers even where a test makes the provider's polling instant: a tail must not spin.
      sleep: realSleep,
      now: rt.now,
    },
  };
  return {
    logs: {
      tail: (ctx, query, signal) => tailLogs(tail, ctx, query, signal),
      search: (ctx, query) => searchLogs(rt, releases, ctx, query),
    },
    metrics: {
      series: async (ctx, query) => {
        const { series, notes, detailedOffer } = await readMetrics(rt, clients, insights, ctx, query);
        return {
          series,
          ...(notes === undefined ? {} : { notes }),
          ...(detailedOffer === undefined ? {} : { detailedOffer }),
        };
      },
      detailed: {
        enable: async (ctx) => {
          const change = await enableInsights(rt, insights, ctx);
          return { changed: change.changed, cost: change.cost };
        },
      },
    },
    alarms: {
      metrics: ALARM_METRICS,
      // CloudWatch evaluates alarms once a minute.
      refreshMs: options.alarmRefreshMs ?? 60_000,
      list: (ctx) => listAlarms(alarmDeps, ctx),
      create: (ctx, spec) => createAlarm(alarmDeps, ctx, spec),
      delete: (ctx, name) => deleteAlarm(alarmDeps, ctx, name),
      deployGuard: { guard: (ctx, names) => guardDeploys(alarmDeps, ctx, names) },
    },
    dispose: () => clients.dispose(),
  };
}
