// What a provider offers beyond releases and rollouts. Each capability is a small interface; a provider
// leaves out what it cannot do. The core and the UI ask `provider.capabilities` and never branch on
// a provider's kind, so a new provider is one folder under providers/ and nothing else.
import type {
  AwsIdentity,
  AwsLocation,
  DeploymentSafety,
  DiscoveredCluster,
  RunResult,
} from '../../shared/contract/index.js';
import type { CapabilityName, Instance, LogLine, MetricSeries } from '../../shared/model.js';
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

/** What a log tail or search is about. */
export interface LogQuery {
  /** Only this instance's lines. */
  readonly instance?: string;
  /** Provider filter syntax (CloudWatch Logs filter pattern; a substring on the local provider). */
  readonly filter?: string;
  /** ISO times; a search defaults to the last hour. */
  readonly since?: string;
  readonly until?: string;
}

export interface LogPage {
  /** Newest first. */
  readonly lines: LogLine[];
  /** Pass back to read older lines; absent at the end. */
  readonly nextToken?: string;
}

/** Instances' output: followed live, and searched over a time range. */
export interface LogSource {
  /**
   * Lines as they are written, from `since` (default: now) until `signal` aborts. Batches, so a busy
   * source does not cost one event per line. Ending the iteration releases everything it holds.
   */
  tail(ctx: EnvironmentContext, query: LogQuery, signal: AbortSignal): AsyncIterable<LogLine[]>;
  search(ctx: EnvironmentContext, query: LogQuery & { readonly nextToken?: string }): Promise<LogPage>;
}

export interface MetricQuery {
  /** ISO times. */
  readonly since: string;
  readonly until: string;
  /** Seconds between points. */
  readonly periodSeconds: number;
}

/** CPU and memory per instance, and for the environment as a whole. */
export interface MetricSource {
  series(ctx: EnvironmentContext, query: MetricQuery): Promise<MetricSeries[]>;
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
}

/**
 * Everything a provider can offer besides releases. Log, metric, alarm and exec capabilities are
 * added here next to these, each a small interface with disposable streams.
 */
export interface ProviderCapabilities {
  readonly instances?: InstanceControl;
  readonly deploySafety?: DeploySafetyControl;
  readonly account?: CloudAccount;
  readonly logs?: LogSource;
  readonly metrics?: MetricSource;
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
  if (capabilities.exec) names.push('exec');
  return names;
}
