// What every use case needs, and how a (pipeline, environment) name pair becomes a provider call.
import type { Actor, Deployment } from '../../shared/model.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { EnvironmentContext, Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { DeployLeases } from '../team/deploy-lease.js';
import { findEnvironment, type WorkspaceStore } from '../workspace/workspace-store.js';
import type { ValueHasher } from './config-privacy.js';
import type { DeploymentTracker } from './deployment-tracker.js';
import type { SerialQueue } from './serial-queue.js';

export interface CoreDeps {
  readonly workspace: WorkspaceStore;
  readonly providers: ProviderRegistry;
  readonly audit: AuditStore;
  /** Team workspaces: who deploys which environment, across machines (absent: this machine's providers' locks only). */
  readonly leases?: DeployLeases;
  /** Deploys starting and failing, for webhooks (queued durably before it resolves). */
  readonly onDeployment?: (phase: 'started' | 'failed', deployment: Deployment) => Promise<void>;
  readonly tracker: DeploymentTracker;
  readonly queue: SerialQueue;
  readonly hash: ValueHasher;
  /** Running deploys by deployment id, so they can be aborted. */
  readonly inflight: Map<string, AbortController>;
  /** Aborted when Slipway closes: deploys still waiting in line then end failed instead of starting. */
  readonly closing: AbortController;
  readonly actor: () => Promise<Actor>;
  /** Where failures that must not be lost silently go (audit write errors). */
  readonly log: (message: string, error?: unknown) => void;
}

export interface ResolvedEnvironment {
  readonly ctx: EnvironmentContext;
  readonly provider: Provider;
}

export async function resolveEnvironment(
  deps: CoreDeps,
  pipelineName: string,
  environmentName: string,
): Promise<ResolvedEnvironment> {
  const pipeline = await deps.workspace.get(pipelineName);
  const environment = findEnvironment(pipeline, environmentName);
  const provider = await deps.providers.get(environment.target.provider);
  return { ctx: { pipeline, environment }, provider };
}
