// The one path every change takes: queue per environment → cross-process lock → make the release →
// release phase → zero-downtime rollout → mark it → write the activity event. Nothing half-applied:
// a failure before the rollout leaves what is serving untouched, and the release is marked failed.
import { randomUUID } from 'node:crypto';
import { AppError, isAppError, toWire } from '../../shared/errors.js';
import type { AuditAction, AuditEvent, Deployment, Release, ReleaseKind } from '../../shared/model.js';
import type { Reporter, ReleaseSpec } from '../providers/provider.js';
import type { HeldLease } from '../team/deploy-lease.js';
import { actorFor } from './acting-as.js';
import { environmentEvent } from './audit-event.js';
import { resolveEnvironment, type CoreDeps, type ResolvedEnvironment } from './core-deps.js';
import type { QueueSlot } from './serial-queue.js';

export interface ReleasePlan {
  readonly spec: Omit<ReleaseSpec, 'actor'>;
  /** Extra facts for the activity event (config keys, override reason). */
  readonly audit?: Pick<AuditEvent, 'keys' | 'overrideReason'>;
}

export interface ReleaseRequest {
  readonly pipeline: string;
  readonly environment: string;
  readonly kind: ReleaseKind;
  readonly action: AuditAction;
  /** "Deploy main to staging": shown in the queue and the activity feed. */
  readonly summary: string;
  /** Runs when the job's turn comes, under the environment lock, so it sees the latest state. */
  plan(
    env: ResolvedEnvironment,
    state: { current: Release | undefined },
    reporter: Reporter,
    signal: AbortSignal,
  ): Promise<ReleasePlan>;
  /** Activity sentence for a success, from the release made. */
  describe(release: Release, previous: Release | undefined): string;
}

/** Why a running deploy was stopped, as the person who asked for it would say it. */
export class DeployAborted extends Error {
  constructor(readonly sentence: string) {
    super(sentence);
    this.name = 'DeployAborted';
  }
}

/** The queue key of an environment; reserve a slot with it as soon as a request arrives. */
export const environmentKey = (pipeline: string, environment: string): string => `${pipeline}/${environment}`;

/**
 * Reserves the environment's place in line now, runs `checks` (fast, clear errors), then the release.
 * Requests keep their arrival order even though each one's checks take their own time.
 */
export async function queueRelease(
  deps: CoreDeps,
  target: { pipeline: string; environment: string },
  prepare: () => Promise<ReleaseRequest>,
): Promise<Deployment> {
  const slot = deps.queue.reserve(environmentKey(target.pipeline, target.environment));
  let request: ReleaseRequest;
  try {
    request = await prepare();
  } catch (error) {
    slot.cancel();
    throw error;
  }
  return runRelease(deps, request, slot);
}

async function runRelease(deps: CoreDeps, request: ReleaseRequest, slot: QueueSlot): Promise<Deployment> {
  let resolved: ResolvedEnvironment;
  let actor: AuditEvent['actor'];
  try {
    resolved = await resolveEnvironment(deps, request.pipeline, request.environment);
    actor = await actorFor(deps, resolved);
  } catch (error) {
    slot.cancel();
    throw error;
  }
  const deployment = deps.tracker.create({
    pipeline: request.pipeline,
    environment: request.environment,
    kind: request.kind,
    summary: request.summary,
    actor,
  });

  let started = false;
  const job = async (): Promise<Deployment> => {
    started = true;
    const controller = new AbortController();
    // A job whose turn comes after Slipway began closing ends failed before it changes anything.
    if (deps.closing.signal.aborted) controller.abort(deps.closing.signal.reason);
    deps.inflight.set(deployment.id, controller);
    const reporter = deps.tracker.reporter(deployment.id);
    const running = deps.tracker.update(deployment.id, (d) => {
      d.status = 'running';
      d.startedAt = new Date().toISOString();
    });
    await deps.onDeployment?.('started', running);
    let release: Release | undefined;
    let current: Release | undefined;
    let plan: ReleasePlan | undefined;
    let lease: HeldLease | undefined;
    // Read again now: settings saved while this waited in the queue apply to it.
    let { ctx, provider } = resolved;
    try {
      lease = await takeLease(deps, request, deployment, actor, reporter, controller);
      resolved = await resolveEnvironment(deps, request.pipeline, request.environment);
      ({ ctx, provider } = resolved);
      current = await provider.currentRelease(ctx);
      const previousVersion = current?.version;
      if (previousVersion !== undefined)
        deps.tracker.update(deployment.id, (d) => void (d.previousVersion = previousVersion));
      controller.signal.throwIfAborted();

      plan = await request.plan(resolved, { current }, reporter, controller.signal);
      // Aborted while planning (a long build): stop before a release exists.
      controller.signal.throwIfAborted();
      reporter.step('Create release');
      release = await provider.createRelease(ctx, { ...plan.spec, actor });
      const version = release.version;
      deps.tracker.update(deployment.id, (d) => void (d.releaseVersion = version));
      reporter.log(`v${version}: ${release.description}`);

      reporter.step('Release phase');
      const phase = await provider.runReleasePhase(ctx, release, reporter, controller.signal);
      if (!phase) {
        reporter.log('No release command: skipped.');
      } else if (phase.exitCode !== 0) {
        const serving = current ? `v${current.version} is still serving` : 'nothing was serving';
        throw new AppError(
          'RELEASE_PHASE_FAILED',
          `The release phase of v${version} exited with code ${phase.exitCode}; nothing changed and ${serving}. Fix the release command and deploy again.`,
          { details: { exitCode: phase.exitCode, output: phase.output.slice(-40) } },
        );
      }
      controller.signal.throwIfAborted();

      await provider.rollout(ctx, release, reporter, controller.signal);
      release = await provider.setReleaseStatus(ctx, version, 'succeeded');
      reporter.finish();
      const done = deps.tracker.update(deployment.id, (d) => {
        d.status = 'succeeded';
        d.finishedAt = new Date().toISOString();
      });
      await writeAudit(deps, {
        request,
        actor,
        result: 'succeeded',
        before: current?.version,
        after: version,
        summary: request.describe(release, current),
        sha: release.sha,
        plan,
      });
      return done;
    } catch (caught) {
      // An abort surfaces as whatever the provider threw while stopping; say what really happened.
      const reason: unknown = controller.signal.reason;
      const error = controller.signal.aborted
        ? new AppError(
            'DEPLOY_FAILED',
            `${reason instanceof DeployAborted ? reason.sentence : 'The deploy was stopped'}${release ? `; v${release.version} was not rolled out` : ''} and ${current ? `v${current.version} keeps serving` : 'nothing was serving'}.`,
            { cause: caught },
          )
        : caught;
      const wire = toWire(error);
      reporter.fail(wire.message);
      if (release) {
        const failed = release.version;
        await provider
          .setReleaseStatus(ctx, failed, 'failed', wire.message)
          .catch((e: unknown) => deps.log(`could not mark v${failed} failed`, e));
      }
      const failedDeployment = deps.tracker.update(deployment.id, (d) => {
        d.status = 'failed';
        d.finishedAt = new Date().toISOString();
        d.error = { code: wire.code, message: wire.message };
      });
      await deps.onDeployment?.('failed', failedDeployment);
      // Bad input changed nothing and is not an action worth a feed entry.
      if (!(
        isAppError(error) &&
        (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND' || error.code === 'CONFLICT')
      )) {
        await writeAudit(deps, {
          request,
          actor,
          result: 'failed',
          before: current?.version,
          after: release?.version,
          summary: `${request.summary} failed: ${wire.message}`,
          errorCode: wire.code,
          sha: release?.sha,
          plan,
        });
      }
      if (isAppError(error)) {
        throw new AppError(error.code, error.message, {
          details: {
            ...error.details,
            deploymentId: deployment.id,
            ...(release ? { releaseVersion: release.version } : {}),
          },
          cause: error,
        });
      }
      throw error;
    } finally {
      deps.inflight.delete(deployment.id);
      await lease?.release();
    }
  };

  try {
    const { ctx, provider } = resolved;
    return await slot.run(() =>
      provider.withEnvironmentLock(ctx, job, (line) =>
        deps.tracker.reporter(deployment.id).step('Recovered a stale lock', line),
      ),
    );
  } catch (error) {
    // The environment lock could not be taken: the job never ran, so end the deployment here rather
    // than leave it queued forever, and say so in the feed.
    if (!started) {
      const wire = toWire(error);
      deps.tracker.update(deployment.id, (d) => {
        d.status = 'failed';
        d.finishedAt = new Date().toISOString();
        d.error = { code: wire.code, message: wire.message };
      });
      await writeAudit(deps, {
        request,
        actor,
        result: 'failed',
        before: undefined,
        after: undefined,
        summary: `${request.summary} failed: ${wire.message}`,
        errorCode: wire.code,
        plan: undefined,
      });
    }
    throw error;
  }
}

/**
 * In a team workspace, waits for teammates' deploys to this environment (shown as a step), then holds
 * the environment's lease until the job ends. A lease that cannot be renewed stops the deploy.
 */
async function takeLease(
  deps: CoreDeps,
  request: ReleaseRequest,
  deployment: Deployment,
  actor: AuditEvent['actor'],
  reporter: Reporter,
  controller: AbortController,
): Promise<HeldLease | undefined> {
  if (!deps.leases) return undefined;
  const target = { pipeline: request.pipeline, environment: request.environment };
  const lease = await deps.leases.acquire({
    ...target,
    holder: { actor, summary: request.summary, deploymentId: deployment.id, startedAt: new Date().toISOString() },
    reporter,
    signal: controller.signal,
    onTakeover: (previous) =>
      appendAudit(
        deps,
        environmentEvent(
          actor,
          'environment.lease-expired',
          target,
        )(
          'succeeded',
          `${previous.actor.user}'s deploy lease on ${request.pipeline}/${request.environment} expired without being renewed (${previous.summary}, started ${previous.startedAt}); ${actor.user}'s deploy went ahead.`,
        ),
      ),
  });
  lease.lost.addEventListener('abort', () =>
    controller.abort(
      new DeployAborted(
        "The team's deploy lease could not be renewed (the bucket did not answer in time), so the deploy was stopped rather than risk two at once",
      ),
    ),
  );
  return lease;
}

interface AuditInput {
  readonly request: ReleaseRequest;
  readonly actor: AuditEvent['actor'];
  readonly result: AuditEvent['result'];
  readonly before: number | undefined;
  readonly after: number | undefined;
  readonly summary: string;
  readonly errorCode?: string;
  readonly sha?: string | undefined;
  readonly plan: ReleasePlan | undefined;
}

async function writeAudit(deps: CoreDeps, input: AuditInput): Promise<void> {
  const event: AuditEvent = {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.request.action,
    pipeline: input.request.pipeline,
    environment: input.request.environment,
    result: input.result,
    summary: input.summary,
    ...(input.before !== undefined ? { beforeVersion: input.before } : {}),
    ...(input.after !== undefined ? { afterVersion: input.after } : {}),
    ...(input.errorCode ? { errorCode: input.errorCode } : {}),
    ...(input.sha ? { sha: input.sha } : {}),
    ...input.plan?.audit,
  };
  await appendAudit(deps, event);
}

/** An activity event is never dropped silently: retried, then reported loudly. */
export async function appendAudit(deps: CoreDeps, event: AuditEvent): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.audit.append(event);
      return;
    } catch (error) {
      if (attempt === 3) {
        deps.log(`could not write activity event ${event.id} (${event.action} ${event.pipeline})`, error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
