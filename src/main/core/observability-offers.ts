// What an environment's provider offers to make its observability better, at a cost or as a change to
// the environment: per-instance metrics (Container Insights on ECS) and alarms that guard every rollout
// (ECS deployment alarms with rollback). Both are audited; refusals change nothing and write no event.
import type { ProcedureArgs } from '../../shared/contract/index.js';
import type { z } from 'zod';
import type { detailedMetricsSchema, guardedDeploysSchema } from '../../shared/contract/observability.js';
import { AppError, isAppError, toWire } from '../../shared/errors.js';
import type { AuditAction } from '../../shared/model.js';
import { environmentEvent } from './audit-event.js';
import { resolveEnvironment, type CoreDeps } from './core-deps.js';
import { appendAudit } from './release-runner.js';

async function audited<T extends { changed: boolean }>(
  deps: CoreDeps,
  args: { pipeline: string; environment: string },
  action: AuditAction,
  work: () => Promise<T>,
  done: (value: T) => string,
  failed: string,
): Promise<T> {
  const event = environmentEvent(await deps.actor(), action, args);
  try {
    const value = await work();
    if (value.changed) await appendAudit(deps, event('succeeded', done(value)));
    return value;
  } catch (error) {
    if (!(isAppError(error) && ['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT'].includes(error.code))) {
      const wire = toWire(error);
      await appendAudit(deps, event('failed', `${failed}: ${wire.message}`, wire.code));
    }
    throw error;
  }
}

export async function enableDetailedMetrics(
  deps: CoreDeps,
  args: ProcedureArgs<'metrics.enableDetailed'>,
): Promise<z.infer<typeof detailedMetricsSchema>> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const detailed = provider.capabilities.metrics?.detailed;
  if (!detailed) {
    throw new AppError(
      'INVALID_INPUT',
      `${args.environment} runs on the ${provider.kind} provider, whose per-instance metrics need nothing turned on.`,
    );
  }
  return audited(
    deps,
    args,
    'environment.enable-detailed-metrics',
    () => detailed.enable(ctx),
    (value) => `Turned on per-instance metrics for ${args.environment}. ${value.cost}`,
    `Turning on per-instance metrics for ${args.environment} failed`,
  );
}

export async function guardDeploys(
  deps: CoreDeps,
  args: ProcedureArgs<'alarms.guardDeploys'>,
): Promise<z.infer<typeof guardedDeploysSchema>> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const guard = provider.capabilities.alarms?.deployGuard;
  if (!guard) {
    throw new AppError(
      'INVALID_INPUT',
      `${args.environment} runs on the ${provider.kind} provider, whose rollouts cannot be watched by alarms.`,
    );
  }
  return audited(
    deps,
    args,
    'environment.guard-deploys',
    () => guard.guard(ctx, args.alarms),
    (value) =>
      `Rollouts of ${args.environment} are watched by ${value.alarms.join(', ')}${value.rollback ? ' and roll back when one fires' : ''}`,
    `Guarding rollouts of ${args.environment} with alarms failed`,
  );
}
