// Instances of an ECS environment are the service's tasks: list them, stop one, run a one-off command.
import { DescribeTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { Instance } from '../../../shared/model.js';
import type { EnvironmentContext } from '../provider.js';
import { runOneOffTask, type OneOffResult } from './one-off-task.js';
import { ecsTarget, readService, serviceLabel, type Runtime } from './runtime.js';
import { status } from './status.js';

export async function listInstances(rt: Runtime, ctx: EnvironmentContext): Promise<Instance[]> {
  return [...(await status(rt, ctx)).instances];
}

/** Stops one task of the service; ECS starts a replacement. Refuses tasks that belong to anything else. */
export async function killInstance(
  rt: Runtime,
  ctx: EnvironmentContext,
  instance: string,
  reason?: string,
): Promise<void> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const out = await session.ecs(
    new DescribeTasksCommand({ cluster: target.cluster, tasks: [instance] }),
    `task ${instance}`,
  );
  const task = out.tasks?.[0];
  if (task?.taskArn === undefined || task.group !== `service:${target.service}`) {
    throw new AppError(
      'NOT_FOUND',
      `${serviceLabel(target)} has no instance ${instance}. Refresh the instance list and try again.`,
    );
  }
  const why = `Stopped from Slipway${reason === undefined || reason.trim() === '' ? '' : `: ${reason.trim()}`}`;
  await session.ecs(
    new StopTaskCommand({ cluster: target.cluster, task: task.taskArn, reason: why.slice(0, 255) }),
    `task ${instance}`,
  );
}

/** `slipway run`: the serving revision with a command override, waited for, with its output tail. */
export async function runCommand(
  rt: Runtime,
  ctx: EnvironmentContext,
  command: readonly string[],
  signal?: AbortSignal,
): Promise<OneOffResult> {
  if (command.length === 0 || command[0] === '') throw new AppError('INVALID_INPUT', 'Give a command to run.');
  const service = await readService(rt, ctx, true);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
  if (primary === undefined)
    throw new AppError('NOT_FOUND', `${serviceLabel(ecsTarget(ctx))} has no task definition to run.`);
  return runOneOffTask(rt, ctx, primary, command, { purpose: 'run', ...(signal === undefined ? {} : { signal }) });
}
