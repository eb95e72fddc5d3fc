// The aws-ecs provider: an environment is an ECS service, a release is a revision of the service's
// task-definition family with Slipway's metadata in tags.
//
// Locking: deploys to one service take turns in this process (a mutex) and across the processes of
// this machine (a lock file under SLIPWAY_HOME); under the lock the service is read again unless it was
// read moments before and no deploy took the lock since, and a rollout started elsewhere (another
// tool, another machine) is waited for before Slipway starts its own.
import type {
  CallerIdentity,
  CloudAccount,
  DeploySafetyControl,
  ExecControl,
  InstanceControl,
} from '../capabilities.js';
import { createEcsExec } from './exec/ecs-exec.js';
import type { EnvironmentContext, Provider, ProviderStatus, ReleasePhaseResult, StatusOutcome } from '../provider.js';
import { createCallerIdentity } from './caller-identity.js';
import { discover, whoami } from './discover.js';
import { makeDeploysSafe } from './deployment-safety.js';
import { createEcsObservability, type EcsObservability } from './observability/index.js';
import { resolveArtifact } from './artifact.js';
import { killInstance, listInstances, runCommand } from './instances.js';
import { runOneOffTask } from './one-off-task.js';
import { recover } from './recover.js';
import {
  createRelease,
  currentRelease,
  getRelease,
  listReleases,
  markNoRollback,
  releaseArn,
  setReleaseStatus,
} from './releases.js';
import { withServiceLock } from './environment-lock.js';
import { abortRollout, rollout, type AbortResult } from './rollout.js';
import { createRuntime, ecsTarget, type AwsEcsOptions } from './runtime.js';
import { commandArgv } from './shell-words.js';
import { status, statusMany } from './status.js';

/** How long a service read just before taking the deploy lock stands in for a read under it. */
const KEEP_READ_MS = 5_000;

export interface AwsEcsProvider extends Provider {
  readonly kind: 'aws-ecs';
  /** Status of many environments at once, batching calls per cluster (the workspace-wide refresh). */
  statusMany(contexts: readonly EnvironmentContext[]): Promise<StatusOutcome[]>;
  /** Stops an in-flight rollout and returns the service to the revision that was serving. */
  abortRollout(ctx: EnvironmentContext): Promise<AbortResult>;
  readonly capabilities: {
    readonly instances: Required<InstanceControl>;
    /** Minimum healthy 100% and the circuit breaker with rollback on the service; nothing else changes. */
    readonly deploySafety: DeploySafetyControl;
    readonly account: CloudAccount;
    /** The STS caller, cached per profile and region (caller-identity.ts). */
    readonly identity: CallerIdentity;
    /** CloudWatch Logs, CloudWatch metrics and alarms: see observability/. */
    readonly logs: EcsObservability['logs'];
    readonly metrics: EcsObservability['metrics'];
    readonly alarms: EcsObservability['alarms'];
    /** ECS Exec through the Session Manager plugin (exec/). */
    readonly exec: Required<ExecControl>;
  };
}

export function createAwsEcsProvider(options: AwsEcsOptions = {}): AwsEcsProvider {
  const rt = createRuntime(options);
  const observability = createEcsObservability(rt);
  return {
    kind: 'aws-ecs',
    resolveArtifact: (ctx, ref, reporter) => resolveArtifact(rt, ctx, ref, reporter),
    listReleases: (ctx, page) => listReleases(rt, ctx, page),
    currentRelease: (ctx) => currentRelease(rt, ctx),
    getRelease: (ctx, version) => getRelease(rt, ctx, version),
    createRelease: (ctx, spec) => createRelease(rt, ctx, spec),
    setReleaseStatus: (ctx, version, next, failure) => setReleaseStatus(rt, ctx, version, next, failure),
    markNoRollback: (ctx, version, mark) => markNoRollback(rt, ctx, version, mark),

    async runReleasePhase(ctx, release, reporter, signal): Promise<ReleasePhaseResult | undefined> {
      const command = ctx.pipeline.releaseCommand;
      if (command === undefined || command.trim() === '') return undefined;
      const arn = await releaseArn(rt, ctx, release.version);
      const result = await runOneOffTask(rt, ctx, arn, commandArgv(command), {
        reporter,
        signal,
        purpose: 'release-phase',
      });
      return { exitCode: result.exitCode, output: result.output };
    },

    rollout: (ctx, release, reporter, signal) => rollout(rt, ctx, release, reporter, signal),
    status: (ctx): Promise<ProviderStatus> => status(rt, ctx),
    recover: (ctx) => recover(rt, ctx),

    withEnvironmentLock: (ctx, work) => {
      const t = ecsTarget(ctx);
      const key = ['env', t.profile ?? '', t.region, t.cluster, t.service].join('\u0000');
      return rt.locks.run(key, async () => {
        if (options.home === undefined) {
          // Another deploy may have run while this one waited: what the work reads now is read fresh.
          rt.services.forget(t);
          return work();
        }
        return withServiceLock(options.home, t, (lastTakenAt) => {
          // A service read since the lock was last taken, and only moments ago, is still what the
          // work would read: no deploy of this machine ran since. Anything older is read again.
          rt.services.forgetReadBefore(t, Math.max(lastTakenAt ?? 0, Date.now() - KEEP_READ_MS));
          return work();
        });
      });
    },

    async dispose() {
      observability.dispose();
      rt.pool.dispose();
    },

    statusMany: (contexts) => statusMany(rt, contexts),
    abortRollout: (ctx) => abortRollout(rt, ctx),
    capabilities: {
      instances: {
        list: (ctx) => listInstances(rt, ctx),
        kill: (ctx, instance, reason) => killInstance(rt, ctx, instance, reason),
        run: async (ctx, command, signal) => {
          const { exitCode, output } = await runCommand(rt, ctx, command, signal);
          return { exitCode, output: [...output] };
        },
      },
      deploySafety: { makeSafe: (ctx) => makeDeploysSafe(rt, ctx) },
      account: { whoami: (key) => whoami(rt, key), discover: (key) => discover(rt, key) },
      identity: createCallerIdentity(rt),
      logs: observability.logs,
      metrics: observability.metrics,
      alarms: observability.alarms,
      exec: createEcsExec(rt),
    },
  };
}
