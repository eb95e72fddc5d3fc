// Rolling a release out: UpdateService to the release's revision, then follow ECS until the
// deployment succeeds or fails. ECS's rolling update starts new tasks before it stops old ones (with
// minimumHealthyPercent 100), and the circuit breaker rolls a failing deployment back.
import { StopServiceDeploymentCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { Release } from '../../../shared/model.js';
import type { EnvironmentContext, Reporter } from '../provider.js';
import { backoff } from './async-util.js';
import {
  describeServiceFresh,
  findActiveDeploymentArn,
  progressFromService,
  readServiceDeployment,
} from './deployment-watch.js';
import { releaseArn, releaseFrom, servingTaskDefinition } from './releases.js';
import { ecsTarget, readService, serviceLabel, type Runtime } from './runtime.js';

async function updateService(rt: Runtime, ctx: EnvironmentContext, taskDefinition: string): Promise<Service> {
  const target = ecsTarget(ctx);
  const out = await rt
    .session(target)
    .ecs(
      new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition }),
      serviceLabel(target),
    );
  if (!out.service)
    throw new AppError(
      'PROVIDER_UNAVAILABLE',
      `ECS did not return ${serviceLabel(target)} after the update. Check it in the console.`,
    );
  rt.services.put(target, out.service);
  return out.service;
}

/** The version a service serves, for messages ("v6 is serving"). */
async function servingVersion(rt: Runtime, ctx: EnvironmentContext): Promise<number | undefined> {
  try {
    const service = await readService(rt, ctx, true);
    const serving = servingTaskDefinition(service);
    if (serving === undefined) return undefined;
    return releaseFrom(ctx, await rt.taskDefinitions.get(rt.session(ecsTarget(ctx)), serving), true)?.version;
  } catch {
    return undefined;
  }
}

/**
 * A rollout this deploy did not start (another tool, another machine) is waited for, never fought:
 * two UpdateService calls would leave ECS replacing one half-finished deployment with another.
 * The service was read fresh under the environment lock, so in the usual case this costs no call.
 */
async function waitForOtherRollout(
  rt: Runtime,
  ctx: EnvironmentContext,
  ours: string,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<void> {
  const target = ecsTarget(ctx);
  let service = await readService(rt, ctx);
  const deadline = rt.now() + rt.rolloutTimeoutMs;
  let said = false;
  for (const wait of backoff(rt.pollIntervalMs, rt.maxPollIntervalMs)) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (primary?.rolloutState !== 'IN_PROGRESS' || primary.taskDefinition === ours) return;
    const running = shortTd(primary.taskDefinition);
    if (!said) {
      said = true;
      reporter.log(
        `A rollout of ${running} started elsewhere is in progress on ${serviceLabel(target)}; waiting for it to finish.`,
      );
    }
    if (rt.now() > deadline) {
      throw new AppError(
        'CONFLICT',
        `A rollout of ${running} started elsewhere is still in progress on ${serviceLabel(target)}; nothing was changed. Deploy again when it is done.`,
        { details: { running } },
      );
    }
    try {
      await rt.sleep(wait, signal);
    } catch {
      throw new AppError('DEPLOY_FAILED', `The deploy was cancelled while waiting for the rollout of ${running}.`);
    }
    service = await describeServiceFresh(rt.session(target), target);
    rt.services.put(target, service);
  }
}

const shortTd = (arn: string | undefined): string =>
  arn === undefined ? 'another task definition' : arn.slice(arn.lastIndexOf('/') + 1);

export async function rollout(
  rt: Runtime,
  ctx: EnvironmentContext,
  release: Release,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<void> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const arn = await releaseArn(rt, ctx, release.version);
  await waitForOtherRollout(rt, ctx, arn, reporter, signal);
  reporter.step('Roll out', `Updating ${serviceLabel(target)} to v${release.version}`);
  const service = await updateService(rt, ctx, arn);
  const deploymentId = service.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === arn)?.id;
  // Endpoints with the service-deployment API name the new deployment here; where it is absent the
  // API is too, and the service's deployments array is followed without asking for it.
  const deploymentArn = service.currentServiceDeployment;

  const deadline = rt.now() + rt.rolloutTimeoutMs;
  let lastMessage = '';
  for (const wait of backoff(rt.pollIntervalMs, rt.maxPollIntervalMs)) {
    try {
      await rt.sleep(wait, signal);
    } catch {
      const how = await abortRollout(rt, ctx).catch(() => undefined);
      throw new AppError(
        'DEPLOY_FAILED',
        `The rollout of v${release.version} was cancelled${how ? '; ECS is rolling back to the previous release' : ''}.`,
      );
    }

    const progress =
      (deploymentArn === undefined ? undefined : await readServiceDeployment(session, deploymentArn)) ??
      progressFromService(await describeServiceFresh(session, target), arn, deploymentId);
    if (progress.message !== lastMessage) {
      lastMessage = progress.message;
      reporter.log(progress.message);
    }
    if (progress.state === 'succeeded') {
      rt.services.forget(target);
      return;
    }
    if (progress.state === 'failed') {
      rt.services.forget(target);
      const serving = await servingVersion(rt, ctx);
      const now = serving === undefined ? 'the previous task definition is serving' : `v${serving} is serving`;
      throw new AppError(
        'DEPLOY_FAILED',
        `The rollout of v${release.version} failed: ${progress.reason}. ECS kept the service up and ${now}.`,
        {
          details: { reason: progress.reason, ...(serving === undefined ? {} : { servingVersion: serving }) },
        },
      );
    }
    if (rt.now() > deadline) {
      throw new AppError(
        'DEPLOY_FAILED',
        `The rollout of v${release.version} was still in progress after ${Math.round(rt.rolloutTimeoutMs / 60_000)} minutes (${progress.message}). ECS keeps trying; check the service events, or abort the rollout.`,
      );
    }
  }
  throw new AppError('INTERNAL', 'unreachable');
}

export interface AbortResult {
  /** `stop-deployment`: ECS rolls the deployment back itself; `update-service`: Slipway pointed the service back. */
  readonly method: 'stop-deployment' | 'update-service';
  readonly taskDefinition?: string | undefined;
}

/**
 * Stops an in-flight rollout. Prefers StopServiceDeployment with a ROLLBACK (ECS returns to the
 * revision that was serving); where that API is missing, points the service back at the revision its
 * older ACTIVE deployment still runs.
 */
export async function abortRollout(rt: Runtime, ctx: EnvironmentContext): Promise<AbortResult> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const arn = await findActiveDeploymentArn(session, target);
  if (arn !== undefined) {
    const stopped = await session.ecsIfSupported(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
      serviceLabel(target),
    );
    if (stopped !== undefined) {
      rt.services.forget(target);
      return { method: 'stop-deployment' };
    }
  }
  const service = await describeServiceFresh(session, target);
  const previous = service.deployments?.find((d) => d.status === 'ACTIVE')?.taskDefinition;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (previous === undefined || primary?.rolloutState === 'COMPLETED') {
    throw new AppError(
      'CONFLICT',
      `No rollout is in progress on ${serviceLabel(target)}, so there is nothing to abort.`,
    );
  }
  await updateService(rt, ctx, previous);
  return { method: 'update-service', taskDefinition: previous };
}
