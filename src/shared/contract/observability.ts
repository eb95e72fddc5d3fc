// Logs, metrics and alarms of an environment, for every provider that offers them (its `capabilities`).
import { z } from 'zod';
import {
  alarmMetricSchema,
  alarmSchema,
  logLineSchema,
  metricSeriesSchema,
  releaseKindSchema,
  versionSchema,
} from '../model.js';
import { procedure, stream } from './define.js';
import { environmentRef } from './pipelines.js';

const isoTime = z.iso.datetime({ offset: true, error: 'use an ISO time, e.g. 2026-01-31T09:00:00Z' });

/** Most lines one search page returns. */
export const LOG_PAGE_MAX = 1_000;

export const logQuerySchema = z.object({
  /** Only this instance's lines. */
  instance: z.string().min(1).max(200).optional(),
  /** Provider filter syntax: a CloudWatch Logs filter pattern on ECS, a case-insensitive substring locally. */
  filter: z.string().max(1_024).optional(),
});

export const logSearchInputSchema = environmentRef.extend(logQuerySchema.shape).extend({
  /** Default: an hour before `until`. */
  since: isoTime.optional(),
  /** Default: now. */
  until: isoTime.optional(),
  limit: z.number().int().min(1).max(LOG_PAGE_MAX).default(200),
  /** From the previous page, to read older lines. */
  nextToken: z.string().max(4_096).optional(),
});
export type LogSearchInput = z.input<typeof logSearchInputSchema>;

export const logPageSchema = z.object({
  /** Newest first. */
  lines: z.array(logLineSchema),
  /** Pass back to read older lines; absent on the last page. */
  nextToken: z.string().optional(),
});
export type LogPage = z.infer<typeof logPageSchema>;

export const logTailInputSchema = environmentRef.extend(logQuerySchema.shape).extend({
  /** Start this far back (ISO time); default: from now on. */
  since: isoTime.optional(),
});

/**
 * One event of a live tail. `lines` arrive in batches, oldest first. `skipped` says lines were left out
 * here: the client fell behind (`behind`: the server keeps a bounded backlog and drops the oldest) or
 * the source itself sampled or lost them (`source`). `notice` is a sentence worth showing (a
 * reconnect, a fallback to polling). `error` is the last event: the tail could not go on (the code is
 * from the closed set; the stream stays open until the client ends it).
 */
export const logTailEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lines'), lines: z.array(logLineSchema) }),
  z.object({
    type: z.literal('skipped'),
    count: z.number().int().nonnegative(),
    reason: z.enum(['behind', 'source']),
  }),
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type LogTailEvent = z.infer<typeof logTailEventSchema>;

export const METRIC_RANGES = ['1h', '6h', '24h', '7d'] as const;
export const metricRangeSchema = z.enum(METRIC_RANGES, { error: 'the range is one of 1h, 6h, 24h, 7d' });
export type MetricRange = z.infer<typeof metricRangeSchema>;

/** Length and the step between points the core asks for; a provider may round the step up to what it keeps. */
export const METRIC_RANGE_SPANS: Readonly<Record<MetricRange, { seconds: number; periodSeconds: number }>> = {
  '1h': { seconds: 3_600, periodSeconds: 30 },
  '6h': { seconds: 6 * 3_600, periodSeconds: 120 },
  '24h': { seconds: 24 * 3_600, periodSeconds: 300 },
  '7d': { seconds: 7 * 24 * 3_600, periodSeconds: 1_800 },
};

/** A release as a mark on the time axis, so a bad deploy shows as a step in the graph. */
export const releaseMarkerSchema = z.object({
  version: versionSchema,
  kind: releaseKindSchema,
  time: z.string(),
  description: z.string(),
});
export type ReleaseMarker = z.infer<typeof releaseMarkerSchema>;

export const metricsInputSchema = environmentRef.extend({ range: metricRangeSchema.default('1h') });

export const metricsResultSchema = z.object({
  range: metricRangeSchema,
  since: z.string(),
  until: z.string(),
  periodSeconds: z.number().int().positive(),
  /** CPU and memory per instance, and for the environment (no `instance`). */
  series: z.array(metricSeriesSchema),
  /** Succeeded releases made within the range, oldest first. */
  releases: z.array(releaseMarkerSchema),
  /** Sentences worth showing (no Container Insights, sampling only while Slipway runs). */
  notes: z.array(z.string()).default([]),
  /**
   * Present when per-instance series are off and `metrics.enableDetailed` can turn them on: the
   * provider's name for it and what it costs, in a sentence.
   */
  detailedOffer: z.object({ what: z.string(), cost: z.string() }).optional(),
});
export type MetricsResult = z.infer<typeof metricsResultSchema>;

export const alarmCreateInputSchema = environmentRef.extend({
  metric: alarmMetricSchema,
  /** cpu and memory in percent (0–100), target5xx a count per period. */
  threshold: z.number({ error: 'the threshold is a number' }).positive('the threshold is above 0').max(1_000_000),
  periodSeconds: z
    .number()
    .int()
    .min(10, 'the period is at least 10 seconds')
    .max(86_400, 'the period is at most a day')
    .default(60),
  evaluationPeriods: z.number().int().min(1).max(100).default(1),
  /** Default: `<pipeline>-<environment>-<metric>-<threshold>`. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'use letters, digits, dots, dashes or underscores')
    .optional(),
});
export type AlarmCreateInput = z.input<typeof alarmCreateInputSchema>;

export const alarmChangeSchema = z.object({
  pipeline: z.string(),
  environment: z.string(),
  alarm: alarmSchema,
  /** Absent the first time an alarm is seen by this watcher. */
  previous: alarmSchema.shape.state.optional(),
});
export type AlarmChange = z.infer<typeof alarmChangeSchema>;

export const observabilityProcedures = {
  'logs.search': procedure(
    "Search an environment's logs over a time range, newest first, a page at a time.",
    logSearchInputSchema,
    logPageSchema,
  ),
  'metrics.get': procedure(
    'CPU and memory per instance and for the environment over 1h/6h/24h/7d, with release markers.',
    metricsInputSchema,
    metricsResultSchema,
  ),
  'alarms.list': procedure("An environment's alarms and their state.", environmentRef, z.array(alarmSchema)),
  'alarms.create': procedure(
    'Create a CPU, memory or target-5xx alarm on an environment.',
    alarmCreateInputSchema,
    alarmSchema,
  ),
  'alarms.delete': procedure(
    'Delete an alarm Slipway made on an environment.',
    environmentRef.extend({ name: z.string().min(1).max(255) }),
    z.object({ name: z.string() }),
  ),
};

/** Per-instance metrics turned on where the provider offers them at a cost (Container Insights on ECS). */
export const detailedMetricsSchema = z.object({
  /** False when they were on already and nothing was sent. */
  changed: z.boolean(),
  /** What they cost, in a sentence. */
  cost: z.string(),
});

export const guardDeploysInputSchema = environmentRef.extend({
  /** Default: every alarm Slipway made on the environment. */
  alarms: z.array(z.string().min(1).max(255)).max(10).optional(),
});

export const guardedDeploysSchema = z.object({
  /** The alarms every rollout is now watched by. */
  alarms: z.array(z.string()),
  /** A rollout is rolled back when one of them fires. */
  rollback: z.boolean(),
  changed: z.boolean(),
});

export const observabilityOfferProcedures = {
  'metrics.enableDetailed': procedure(
    'Turn on per-instance metrics for an environment where its provider charges for them (ECS: Container Insights with enhanced observability on the cluster); the answer says what it costs.',
    environmentRef,
    detailedMetricsSchema,
  ),
  'alarms.guardDeploys': procedure(
    'Watch every rollout of an environment with its alarms and roll back when one fires (ECS deployment alarms).',
    guardDeploysInputSchema,
    guardedDeploysSchema,
  ),
};

export const observabilityStreams = {
  'logs.tail': stream(
    "An environment's log lines as they are written; bounded: a slow reader gets a skipped marker, never an unbounded backlog.",
    logTailInputSchema,
    logTailEventSchema,
  ),
  'alarms.watch': stream(
    'Alarm state changes across environments that offer alarms (one pipeline, or all).',
    z.object({ pipeline: z.string().optional() }),
    alarmChangeSchema,
  ),
};
