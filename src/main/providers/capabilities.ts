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
import type { CapabilityName, Instance } from '../../shared/model.js';
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

/**
 * Everything a provider can offer besides releases. Log, metric, alarm and exec capabilities are
 * added here next to these, each a small interface with disposable streams.
 */
export interface ProviderCapabilities {
  readonly instances?: InstanceControl;
  readonly deploySafety?: DeploySafetyControl;
  readonly account?: CloudAccount;
}

/** The names the contract reports, so the UI can show only what an environment offers. */
export function capabilityNames(capabilities: ProviderCapabilities): CapabilityName[] {
  const names: CapabilityName[] = [];
  if (capabilities.instances) names.push('instances.list');
  if (capabilities.instances?.kill) names.push('instances.kill');
  if (capabilities.instances?.run) names.push('run');
  if (capabilities.deploySafety) names.push('deploySafety');
  return names;
}
