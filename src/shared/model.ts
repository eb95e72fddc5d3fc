// The domain, as zod schemas: every type below is inferred, never written twice.
import { z } from 'zod';
import { providerDetailsSchema } from './provider-details.js';

/** Names every JS object already answers to: kept out so a name can never be mistaken for one. */
const RESERVED_NAMES = new Set(['constructor', 'prototype']);

export const nameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'use 1–40 lowercase letters, digits or dashes, starting with a letter')
  .refine((name) => !RESERVED_NAMES.has(name), 'that name is reserved; pick another');

/** `v3` → 3; the CLI and the UI both speak in `vN`. */
export const versionSchema = z.number().int().positive();

export const actorSchema = z.object({
  /** The OS user who acted. */
  user: z.string(),
  /** git `user.email`, when set. */
  email: z.string().optional(),
  /** The cloud identity that made the calls (AWS: the STS caller), for actions on a cloud environment. */
  cloud: z.object({ account: z.string(), arn: z.string() }).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const healthCheckSchema = z.object({
  path: z.string().startsWith('/').default('/healthz'),
  intervalMs: z.number().int().min(50).max(60_000).default(500),
  timeoutMs: z.number().int().min(50).max(60_000).default(2_000),
  /** Consecutive failures before an instance is declared unhealthy. */
  retries: z.number().int().min(1).max(100).default(20),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const stopSignalSchema = z.enum(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']);
export type StopSignal = z.infer<typeof stopSignalSchema>;

/** Where an environment runs. One variant per provider. */
export const localTargetSchema = z.object({
  provider: z.literal('local'),
  /** The stable port the environment's reverse proxy listens on (127.0.0.1). */
  port: z.number().int().min(1).max(65_535),
  instances: z.number().int().min(1).max(16).default(2),
  healthCheck: healthCheckSchema.default({ path: '/healthz', intervalMs: 500, timeoutMs: 2_000, retries: 20 }),
  stopSignal: stopSignalSchema.default('SIGTERM'),
  /** Time between the stop signal and SIGKILL. */
  graceMs: z.number().int().min(0).max(300_000).default(10_000),
});
export type LocalTarget = z.infer<typeof localTargetSchema>;

export const awsEcsTargetSchema = z.object({
  provider: z.literal('aws-ecs'),
  /** A named profile from ~/.aws/config; absent means the default credential chain. */
  profile: z.string().optional(),
  region: z.string().min(1),
  cluster: z.string().min(1),
  service: z.string().min(1),
});
export type AwsEcsTarget = z.infer<typeof awsEcsTargetSchema>;

export const targetSchema = z.discriminatedUnion('provider', [localTargetSchema, awsEcsTargetSchema]);
export type Target = z.infer<typeof targetSchema>;
export type ProviderKind = Target['provider'];

export const environmentSchema = z.object({
  name: nameSchema,
  target: targetSchema,
});
export type Environment = z.infer<typeof environmentSchema>;

export const pipelineSchema = z.object({
  name: nameSchema,
  /** Ordered: the first environment promotes into the second, and so on. */
  environments: z.array(environmentSchema).min(1),
  /** The local git clone commits and diffs are read from. */
  repo: z.string().optional(),
  /** A one-off command run with each new release before it goes live (Heroku's release phase). */
  releaseCommand: z.string().optional(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

/** What a release runs: a slug built from a commit (local) or container images pinned by digest (ECS). */
export const artifactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slug'), id: z.string(), sha: z.string() }),
  z.object({
    kind: z.literal('images'),
    /** container name → image reference pinned by digest (`repo@sha256:…`). */
    images: z.record(z.string(), z.string()),
  }),
]);
export type Artifact = z.infer<typeof artifactSchema>;

export const configVarSchema = z.object({ value: z.string(), secret: z.boolean().default(false) });
/** The config as the main process holds it: values included. Never sent to the renderer as is. */
export const configSchema = z.record(z.string(), configVarSchema);
export type Config = z.infer<typeof configSchema>;

/** `external`: a revision registered outside Slipway (another tool, the console), adopted as it is. */
export const releaseKindSchema = z.enum(['deploy', 'promote', 'rollback', 'config', 'external']);
export type ReleaseKind = z.infer<typeof releaseKindSchema>;

export const releaseStatusSchema = z.enum(['pending', 'succeeded', 'failed']);
export type ReleaseStatus = z.infer<typeof releaseStatusSchema>;

export const releaseSchema = z.object({
  version: versionSchema,
  kind: releaseKindSchema,
  artifact: artifactSchema,
  /** The git commit the artifact was built from, when known. */
  sha: z.string().optional(),
  config: configSchema,
  actor: actorSchema,
  /** A sentence for the history: "Deploy 1a2b3c4", "Promote staging v4", "Rollback to v2", "Set FOO". */
  description: z.string(),
  createdAt: z.string(),
  /** For promote: `staging v4`; for rollback: the version copied. */
  source: z.object({ environment: z.string(), version: versionSchema }).optional(),
  /** A release that may not be rolled back across (e.g. a backwards-incompatible migration). */
  noRollback: z.object({ reason: z.string(), actor: actorSchema, at: z.string() }).optional(),
  status: releaseStatusSchema,
  /** Why a failed release failed: a sentence, never a stack trace. */
  failure: z.string().optional(),
});
export type Release = z.infer<typeof releaseSchema>;

/** Release as the renderer sees it: secret values removed. */
export const publicConfigVarSchema = z.object({
  key: z.string(),
  secret: z.boolean(),
  /** Absent for secrets. */
  value: z.string().optional(),
  /** A short keyed hash, so two values can be compared without showing them. */
  hash: z.string(),
});
export type PublicConfigVar = z.infer<typeof publicConfigVarSchema>;

export const publicReleaseSchema = releaseSchema.omit({ config: true }).extend({
  config: z.array(publicConfigVarSchema),
});
export type PublicRelease = z.infer<typeof publicReleaseSchema>;

export const instanceSchema = z.object({
  id: z.string(),
  releaseVersion: versionSchema.optional(),
  state: z.enum(['starting', 'healthy', 'unhealthy', 'draining', 'stopped']),
  startedAt: z.string().optional(),
  /** Local: 127.0.0.1:port; ECS: the task's private IP. */
  address: z.string().optional(),
  detail: z.string().optional(),
});
export type Instance = z.infer<typeof instanceSchema>;

/**
 * What an environment's provider offers beyond releases and rollouts. The UI shows a feature only when
 * its capability is listed, and never asks which provider it is.
 */
export const capabilityNameSchema = z.enum([
  'instances.list',
  'instances.kill',
  'run',
  'deploySafety',
  'logs',
  'metrics',
  /** Per-instance metrics can be turned on at a cost (`metrics.enableDetailed`). */
  'metrics.detailed',
  'alarms',
  /** Alarms can watch rollouts and roll them back (`alarms.guardDeploys`). */
  'alarms.guardDeploys',
  'exec',
]);
export type CapabilityName = z.infer<typeof capabilityNameSchema>;

export const environmentStatusSchema = z.object({
  pipeline: z.string(),
  environment: z.string(),
  provider: z.enum(['local', 'aws-ecs']),
  /** The release actually serving, if any. */
  current: publicReleaseSchema.optional(),
  instances: z.array(instanceSchema),
  /** Where to reach it: local proxy URL or the load balancer's. */
  url: z.string().optional(),
  /** Provider-specific facts worth showing (ECS deployments, counts, service events), by provider kind. */
  details: providerDetailsSchema.optional(),
  warnings: z.array(z.string()).default([]),
  capabilities: z.array(capabilityNameSchema).default([]),
});
export type EnvironmentStatus = z.infer<typeof environmentStatusSchema>;

export const deploymentStepSchema = z.object({
  name: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  message: z.string().optional(),
  /** Output lines (release phase, build) shown under the step. */
  output: z.array(z.string()).optional(),
  at: z.string(),
});
export type DeploymentStep = z.infer<typeof deploymentStepSchema>;

export const deploymentSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  environment: z.string(),
  kind: releaseKindSchema,
  /** What the user asked for, as a sentence: "Promote staging → production". */
  summary: z.string(),
  actor: actorSchema,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  /** Set once the release exists. */
  releaseVersion: versionSchema.optional(),
  previousVersion: versionSchema.optional(),
  steps: z.array(deploymentStepSchema),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Grows with every change: where two copies of one deployment meet (a list answer and a stream event), the higher wins. */
  revision: z.number().int().nonnegative().optional(),
  /** True when the Slipway answering can abort it (it runs the deploy); deploys run by another process are watched only. */
  abortable: z.boolean().optional(),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export const auditActionSchema = z.enum([
  'deploy',
  'promote',
  'rollback',
  'config.set',
  'config.unset',
  'release.mark-no-rollback',
  'pipeline.create',
  'environment.make-deploys-safe',
  'environment.configure',
  'alarm.create',
  'alarm.delete',
  'exec.start',
  'exec.end',
  /** One instance stopped by hand (`ps:kill`, "Stop task"); its service replaces it. */
  'instance.stop',
  /** A one-off command (`slipway run`) in the environment's release. */
  'task.run',
  /** A teammate's deploy lease ran out without being renewed (their Slipway stopped) and was taken over. */
  'environment.lease-expired',
  'environment.enable-exec',
  'environment.enable-detailed-metrics',
  'environment.guard-deploys',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: actorSchema,
  action: auditActionSchema,
  pipeline: z.string(),
  environment: z.string().optional(),
  beforeVersion: versionSchema.optional(),
  afterVersion: versionSchema.optional(),
  result: z.enum(['succeeded', 'failed']),
  /** A sentence a teammate can read in the feed. */
  summary: z.string(),
  /** The error code when result is failed. */
  errorCode: z.string().optional(),
  /** Config events: key names and keyed value hashes, never values. */
  keys: z.array(z.object({ key: z.string(), hash: z.string().optional() })).optional(),
  /** A rollback across a no-rollback release records the reason the user typed. */
  overrideReason: z.string().optional(),
  sha: z.string().optional(),
  /** Exec sessions: the instance, the command when one was given (never typed input), start and end. */
  instance: z.string().optional(),
  command: z.array(z.string()).optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  exitCode: z.number().int().optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** Where the workspace's activity feed is kept: a local folder, or an S3 bucket the team shares. */
export const activityStoreSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder') }),
  z.object({
    kind: z.literal('s3'),
    bucket: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'use an S3 bucket name (3–63 lowercase letters, digits, dots, dashes)',
      ),
    prefix: z.string().max(512).optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region name such as eu-west-1'),
    profile: z.string().trim().min(1).max(128).optional(),
  }),
]);
export type ActivityStoreSetting = z.infer<typeof activityStoreSchema>;

export const commitSchema = z.object({
  sha: z.string(),
  shortSha: z.string(),
  author: z.string(),
  email: z.string(),
  date: z.string(),
  subject: z.string(),
});
export type Commit = z.infer<typeof commitSchema>;

/** One line an instance wrote. `id` is unique within the environment's log source (dedupe key). */
export const logLineSchema = z.object({
  id: z.string(),
  /** ISO time the line was written (or ingested, where the source has no better). */
  time: z.string(),
  instance: z.string(),
  release: versionSchema.optional(),
  stream: z.enum(['stdout', 'stderr']).optional(),
  text: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const metricPointSchema = z.object({ time: z.string(), value: z.number() });
export type MetricPoint = z.infer<typeof metricPointSchema>;

/** A metric over time, per instance, or for the environment as a whole when `instance` is absent. */
export const metricSeriesSchema = z.object({
  metric: z.enum(['cpu', 'memory']),
  unit: z.enum(['percent', 'bytes']),
  instance: z.string().optional(),
  stat: z.enum(['average', 'minimum', 'maximum']),
  points: z.array(metricPointSchema),
});
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

/** What an alarm watches: CPU or memory (percent, per instance or environment), or the load balancer's 5xx count. */
export const alarmMetricSchema = z.enum(['cpu', 'memory', 'target5xx']);
export type AlarmMetric = z.infer<typeof alarmMetricSchema>;

export const alarmStateSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
export type AlarmState = z.infer<typeof alarmStateSchema>;

/** An alarm on an environment and its state. It fires when the metric stays above the threshold. */
export const alarmSchema = z.object({
  /** Unique within the environment; what delete takes. */
  name: z.string(),
  /** `other` for alarms made outside Slipway on a metric it does not name (shown, not edited). */
  metric: z.union([alarmMetricSchema, z.literal('other')]),
  /** cpu and memory in percent, target5xx a count per period. */
  threshold: z.number(),
  periodSeconds: z.number().int().positive(),
  /** Consecutive periods above the threshold before ALARM. */
  evaluationPeriods: z.number().int().positive(),
  state: alarmStateSchema,
  /** A sentence: why it is in this state. */
  reason: z.string().optional(),
  stateChangedAt: z.string().optional(),
  /** Made by Slipway (create/delete apply); false for alarms found on the environment. */
  managed: z.boolean(),
  description: z.string().optional(),
});
export type Alarm = z.infer<typeof alarmSchema>;
