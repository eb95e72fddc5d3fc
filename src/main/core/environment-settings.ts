// A local environment's settings (instances, health check, stop signal, grace period), saved in the
// workspace file. Nothing running changes now: the local provider reads the target from the pipeline
// at every rollout, so the next deploy, promote, rollback or config change uses them.
import { settingsChanges, type ProcedureArgs } from '../../shared/contract/index.js';
import { AppError, isAppError, toWire } from '../../shared/errors.js';
import { localTargetSchema, type Environment, type Target } from '../../shared/model.js';
import { findEnvironment } from '../workspace/workspace-store.js';
import type { CoreDeps } from './core-deps.js';
import { appendAudit } from './release-runner.js';
import { environmentEvent } from './audit-event.js';

export async function getEnvironment(deps: CoreDeps, args: ProcedureArgs<'environments.get'>): Promise<Environment> {
  return findEnvironment(await deps.workspace.get(args.pipeline), args.environment);
}

function ecsRefusal(environment: string, target: Extract<Target, { provider: 'aws-ecs' }>): AppError {
  return new AppError(
    'INVALID_INPUT',
    `${environment} runs on AWS ECS (service ${target.service} in cluster ${target.cluster}, ${target.region}), where the instance count, health check and stop settings belong to the ECS service itself. ` +
      'Change the desired count on the service (ECS console, or aws ecs update-service --desired-count), and the health check and stop timeout in the container definitions of its task definition (the load balancer target group has its own health check); Slipway carries them over to every release it makes.',
  );
}

export async function configureEnvironment(
  deps: CoreDeps,
  args: ProcedureArgs<'environments.configure'>,
): Promise<Environment> {
  const actor = await deps.actor();
  const event = environmentEvent(actor, 'environment.configure', args);
  try {
    const { before, after } = await deps.workspace.updateTarget(args.pipeline, args.environment, (target) => {
      if (target.provider !== 'local') throw ecsRefusal(args.environment, target);
      // The model's own schema has the last word on the whole target, whatever the contract let through.
      const parsed = localTargetSchema.safeParse({
        ...target,
        ...(args.instances === undefined ? {} : { instances: args.instances }),
        healthCheck: { ...target.healthCheck, ...definedOnly(args.healthCheck ?? {}) },
        ...(args.stopSignal === undefined ? {} : { stopSignal: args.stopSignal }),
        ...(args.graceMs === undefined ? {} : { graceMs: args.graceMs }),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError(
          'INVALID_INPUT',
          `${args.environment} cannot have these settings (${issue?.path.join('.') ?? 'target'}: ${issue?.message ?? 'not valid'}); nothing was saved.`,
        );
      }
      return parsed.data;
    });
    const changes = before.provider === 'local' && after.provider === 'local' ? settingsChanges(before, after) : [];
    if (changes.length > 0) {
      await appendAudit(
        deps,
        event(
          'succeeded',
          `Changed the settings of ${args.environment}: ${changes.join(', ')}. They apply from the next deploy.`,
        ),
      );
    }
    return { name: args.environment, target: after };
  } catch (error) {
    // A refusal changed nothing and is not worth a feed entry; a save that failed is.
    if (!(isAppError(error) && (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND'))) {
      const wire = toWire(error);
      await appendAudit(
        deps,
        event('failed', `Changing the settings of ${args.environment} failed: ${wire.message}`, wire.code),
      );
    }
    throw error;
  }
}

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
