// What a provider offers beyond releases and rollouts. Each capability is a small interface; a provider
// leaves out what it cannot do. The core and the UI ask `provider.capabilities` and never branch on
// a provider's kind, so a new provider is one folder under providers/ and nothing else.
import type {
  AwsIdentity,
  AwsLocation,
  DeploymentSafety,
  DiscoveredCluster,
  LogPage,
  LogTailEvent,
  RunResult,
} from '../../shared/contract/index.js';
import type { Alarm, AlarmMetric, CapabilityName, Instance, MetricSeries } from '../../shared/model.js';
import type { Disposable } from '../util/disposable.js';
import type { EnvironmentContext } from './provider.js';

/** The environment's instances (ECS tasks, local processes), and one-off commands. */
export interface InstanceControl {
  list(ctx: EnvironmentContext): Promise<Instance[]>;
  /** Stop one instance; the environment replaces it. */
  kill?(ctx: EnvironmentContext, instance: string, reason?: string): Promise<void>;
  /** A one-off instance of the serving release running `command`, waited for. */
  run?(ctx: EnvironmentContext, command: readonly string[], signal?: AbortSignal): Promise<RunResult>;
}

/** The settings that make a rollout zero-downtime with automatic rollback, for providers where they can be off. */
export interface DeploySafetyControl {
  makeSafe(ctx: EnvironmentContext): Promise<{ before: DeploymentSafety; after: DeploymentSafety; changed: boolean }>;
}

/** The cloud account behind a location: who the credentials are and what can be bound to an environment. */
export interface CloudAccount {
  whoami(location: AwsLocation): Promise<AwsIdentity>;
  discover(location: AwsLocation): Promise<DiscoveredCluster[]>;
}

/** The cloud identity an environment's calls are made as (AWS: STS GetCallerIdentity), for the audit. */
export interface CallerIdentity {
  caller(ctx: EnvironmentContext): Promise<{ account: string; arn: string }>;
}

/** What a log tail or search is about. */
export interface LogQuery {
  /** Only this instance's lines. */
  readonly instance?: string;
  /** Provider filter syntax (CloudWatch Logs filter pattern; a case-insensitive substring on the local provider). */
  readonly filter?: string;
  /** ISO times. A tail starts at `since` (default: now); a search gets both from the core. */
  readonly since?: string;
  readonly until?: string;
}

export interface LogSearchQuery extends LogQuery {
  readonly since: string;
  readonly until: string;
  /** Most lines in one page. */
  readonly limit: number;
  /** From the previous page; opaque to everyone but the provider that made it. */
  readonly nextToken?: string;
}

/** What a provider's tail yields: batches of lines (oldest first), a source-side gap, or a sentence to show. */
export type LogTailChunk =
  | Extract<LogTailEvent, { type: 'lines' | 'notice' }>
  | { readonly type: 'skipped'; readonly count: number; readonly reason: 'source' };

/** Instances' output: followed live, and searched over a time range. */
export interface LogSource {
  /**
   * Lines as they are written, from `since` (default: now) until `signal` aborts. Batches, so a busy
   * source does not cost one event per line. Ending the iteration releases everything it holds. The
   * core bounds what it keeps for a slow reader, so a source may yield as fast as it reads.
   */
  tail(ctx: EnvironmentContext, query: LogQuery, signal: AbortSignal): AsyncIterable<LogTailChunk>;
  /** Newest first, at most `limit` lines. */
  search(ctx: EnvironmentContext, query: LogSearchQuery): Promise<LogPage>;
}

export interface MetricQuery {
  /** ISO times. */
  readonly since: string;
  readonly until: string;
  /** Seconds between points asked for; a provider may round up to the finest step it keeps. */
  readonly periodSeconds: number;
}

export interface MetricAnswer {
  readonly series: MetricSeries[];
  /** Sentences worth showing next to the graph (no Container Insights; sampled only while Slipway runs). */
  readonly notes?: readonly string[];
  /** Per-instance series are off and `detailed` can turn them on: what that is and what it costs. */
  readonly detailedOffer?: DetailedOffer;
}

export interface DetailedOffer {
  /** The provider's name for it, e.g. "Container Insights". */
  readonly what: string;
  /** What it costs, in a sentence. */
  readonly cost: string;
}

/** Finer metrics a provider can turn on at a cost (per-instance graphs from Container Insights on ECS). */
export interface DetailedMetricsControl {
  /** Turns them on for the environment; `cost` says in a sentence what it costs. */
  enable(ctx: EnvironmentContext): Promise<{ changed: boolean; cost: string }>;
}

/** CPU and memory per instance, and for the environment as a whole (a series without `instance`). */
export interface MetricSource {
  series(ctx: EnvironmentContext, query: MetricQuery): Promise<MetricAnswer>;
  readonly detailed?: DetailedMetricsControl;
}

export interface AlarmSpec {
  readonly name: string;
  readonly metric: AlarmMetric;
  /** cpu and memory in percent, target5xx a count per period. */
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

/** Alarms on an environment's metrics (CloudWatch alarms on ECS; evaluated on the samples locally). */
export interface AlarmControl {
  /** The metrics it can alarm on (e.g. no target5xx without a load balancer). */
  readonly metrics: readonly AlarmMetric[];
  /** How often the core re-reads `list` to notice state changes. */
  readonly refreshMs: number;
  list(ctx: EnvironmentContext): Promise<Alarm[]>;
  /** CONFLICT when the name is taken; INVALID_INPUT for a metric it cannot watch. */
  create(ctx: EnvironmentContext, spec: AlarmSpec): Promise<Alarm>;
  /** NOT_FOUND for an unknown name; INVALID_INPUT for an alarm it did not make. */
  delete(ctx: EnvironmentContext, name: string): Promise<void>;
  readonly deployGuard?: DeployGuardControl;
}

/** Alarms that watch every rollout: when one fires, the rollout is rolled back (ECS deployment alarms). */
export interface DeployGuardControl {
  /** Adds these alarms (default: every alarm the provider made for the environment) to those watched. */
  guard(
    ctx: EnvironmentContext,
    names?: readonly string[],
  ): Promise<{ alarms: string[]; rollback: boolean; changed: boolean }>;
}

/** A shell or command inside a running instance, under a pseudo-terminal. */
export interface ExecRequest {
  /** Absent: any healthy instance. */
  readonly instance?: string;
  /** Absent: an interactive shell. */
  readonly command?: readonly string[];
  readonly cols: number;
  readonly rows: number;
}

export interface ExecSession {
  /** The instance it runs in (chosen by the provider when the request named none). */
  readonly instance: string;
  onData(listener: (data: string) => void): Disposable;
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): Disposable;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Flow control: stop and restart reading output. */
  pause(): void;
  resume(): void;
  /** Ends the session and everything it started. */
  dispose(): Promise<void>;
}

export interface ExecControl {
  open(ctx: EnvironmentContext, request: ExecRequest): Promise<ExecSession>;
  /**
   * For providers where exec can be off (ECS Exec): turn it on and start a new deployment, since
   * running instances keep the setting they started with.
   */
  enable?(ctx: EnvironmentContext): Promise<void>;
}

/** Everything a provider can offer besides releases, each a small interface with disposable streams. */
export interface ProviderCapabilities {
  readonly instances?: InstanceControl;
  readonly deploySafety?: DeploySafetyControl;
  readonly account?: CloudAccount;
  readonly identity?: CallerIdentity;
  readonly logs?: LogSource;
  readonly metrics?: MetricSource;
  readonly alarms?: AlarmControl;
  readonly exec?: ExecControl;
}

/** The names the contract reports, so the UI can show only what an environment offers. */
export function capabilityNames(capabilities: ProviderCapabilities): CapabilityName[] {
  const names: CapabilityName[] = [];
  if (capabilities.instances) names.push('instances.list');
  if (capabilities.instances?.kill) names.push('instances.kill');
  if (capabilities.instances?.run) names.push('run');
  if (capabilities.deploySafety) names.push('deploySafety');
  if (capabilities.logs) names.push('logs');
  if (capabilities.metrics) names.push('metrics');
  if (capabilities.metrics?.detailed) names.push('metrics.detailed');
  if (capabilities.alarms) names.push('alarms');
  if (capabilities.alarms?.deployGuard) names.push('alarms.guardDeploys');
  if (capabilities.exec) names.push('exec');
  return names;
}
