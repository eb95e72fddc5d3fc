// The one interface every place Slipway can run apps implements. Core code talks only to this.
import type { AppError } from '../../shared/errors.js';
import type { ProviderDetails } from '../../shared/provider-details.js';
import type { ProviderCapabilities } from './capabilities.js';
import type {
  Actor,
  Artifact,
  Config,
  Environment,
  Instance,
  Pipeline,
  ProviderKind,
  Release,
  ReleaseKind,
  ReleaseStatus,
} from '../../shared/model.js';

/** The environment a call is about, with its pipeline (for repo, release command, names). */
export interface EnvironmentContext {
  readonly pipeline: Pipeline;
  readonly environment: Environment;
}

/** How a provider reports progress of long work; the core turns it into deployment steps. */
export interface Reporter {
  /** Start a new step; the previous running step is marked succeeded. */
  step(name: string, message?: string): void;
  /** An output line under the current step (build output, release phase output, rollout events). */
  log(line: string): void;
}

export interface ReleaseSpec {
  readonly kind: ReleaseKind;
  readonly artifact: Artifact;
  readonly sha?: string | undefined;
  readonly config: Config;
  readonly actor: Actor;
  readonly description: string;
  readonly source?: { environment: string; version: number } | undefined;
  readonly noRollback?: { reason: string; actor: Actor; at: string } | undefined;
}

export interface ReleasePhaseResult {
  readonly exitCode: number;
  /** The tail of the command's output, for the error a person reads. */
  readonly output: readonly string[];
}

/** A slice of an environment's history: the newest `limit` releases older than `before` (all when absent). */
export interface ReleasePage {
  readonly limit?: number | undefined;
  readonly before?: number | undefined;
}

export type StatusOutcome =
  { readonly ok: true; readonly status: ProviderStatus } | { readonly ok: false; readonly error: AppError };

export interface ProviderStatus {
  /** The release actually serving (after a failed rollout, the one still running). */
  readonly current: Release | undefined;
  readonly instances: readonly Instance[];
  readonly url?: string | undefined;
  readonly details?: ProviderDetails | undefined;
  readonly warnings: readonly string[];
}

export interface Provider {
  readonly kind: ProviderKind;

  /**
   * Turn what the user named into an artifact: local builds a slug from a git ref (once per commit),
   * ECS resolves an image tag to its digest. Throws AppError INVALID_INPUT / NOT_FOUND for bad refs.
   * When `signal` aborts, it stops waiting (a build may finish in the background for later use).
   */
  resolveArtifact(
    ctx: EnvironmentContext,
    ref: string,
    reporter: Reporter,
    signal?: AbortSignal,
  ): Promise<{ artifact: Artifact; sha?: string }>;

  /** Releases of the environment, newest first; a page of them when `page` says so. */
  listReleases(ctx: EnvironmentContext, page?: ReleasePage): Promise<Release[]>;
  getRelease(ctx: EnvironmentContext, version: number): Promise<Release | undefined>;
  /**
   * The release serving now, read from where the environment really runs (not from history), so it is
   * truthful when something else deployed. Undefined when nothing serves yet.
   */
  currentRelease(ctx: EnvironmentContext): Promise<Release | undefined>;

  /** Allocate the next version (never reused, safe against concurrent writers); status `pending`. */
  createRelease(ctx: EnvironmentContext, spec: ReleaseSpec): Promise<Release>;
  setReleaseStatus(ctx: EnvironmentContext, version: number, status: ReleaseStatus, failure?: string): Promise<Release>;
  markNoRollback(
    ctx: EnvironmentContext,
    version: number,
    mark: { reason: string; actor: Actor; at: string },
  ): Promise<Release>;

  /**
   * Run the release phase (a one-off instance of the new release running the pipeline's release
   * command). Returns undefined when there is no release command. Never changes what is serving.
   */
  runReleasePhase(
    ctx: EnvironmentContext,
    release: Release,
    reporter: Reporter,
    signal: AbortSignal,
  ): Promise<ReleasePhaseResult | undefined>;

  /**
   * Zero-downtime rollout: new instances healthy before old ones stop. On failure, what was serving
   * keeps serving and an AppError DEPLOY_FAILED is thrown.
   */
  rollout(ctx: EnvironmentContext, release: Release, reporter: Reporter, signal: AbortSignal): Promise<void>;

  status(ctx: EnvironmentContext): Promise<ProviderStatus>;
  /** Status of several environments at once (a pipeline refresh): a provider batches its reads here. */
  statusMany(contexts: readonly EnvironmentContext[]): Promise<StatusOutcome[]>;

  /**
   * After a restart: releases left `pending` by an interrupted deploy are settled (`succeeded` where the
   * kill came after the switch and it serves, `failed` otherwise), and the current
   * release runs again where it should be running. Safe to call while another process deploys.
   * `notice` gets a line for the person for what was recovered (a dead process's deploy lock, a release).
   */
  recover(ctx: EnvironmentContext, notice?: (line: string) => void): Promise<void>;

  /**
   * Serialises deploys to one environment across processes (CLI and window at once). `notice` gets a
   * line for the person when something was recovered first (the lock of a process that died holding it).
   */
  withEnvironmentLock<T>(ctx: EnvironmentContext, work: () => Promise<T>, notice?: (line: string) => void): Promise<T>;

  /** What it offers beyond releases and rollouts (instances, logs, metrics, exec, …). */
  readonly capabilities: ProviderCapabilities;

  /** Release what this object holds (clients, timers). Running environments keep running. */
  dispose(): Promise<void>;
}
