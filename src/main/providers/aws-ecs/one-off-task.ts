// A one-off task: the release phase and `slipway run`. It runs a revision with a command override in
// the service's own network and capacity settings, waits for it to stop, and reads its exit code and
// log tail. The service itself is never touched.
import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskRequest,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { EnvironmentContext, Reporter } from '../provider.js';
import { abortError, backoff } from './async-util.js';
import { logTail } from './log-tail.js';
import { ecsTarget, readService, taskIdOfArn, type Runtime } from './runtime.js';
import { appContainerName } from './task-definition.js';

export interface OneOffResult {
  /** The container's exit code; -1 when the command never ran (the task failed to start). */
  readonly exitCode: number;
  readonly output: string[];
  readonly taskArn?: string | undefined;
}

/** The parts of the service a task needs to land where the service's tasks land. */
export function placementOf(service: Service): Partial<RunTaskRequest> {
  const strategy = service.capacityProviderStrategy ?? [];
  return {
    ...(strategy.length > 0
      ? { capacityProviderStrategy: strategy }
      : service.launchType === undefined
        ? {}
        : { launchType: service.launchType }),
    ...(service.networkConfiguration === undefined ? {} : { networkConfiguration: service.networkConfiguration }),
    ...(service.platformVersion === undefined ? {} : { platformVersion: service.platformVersion }),
    ...(service.placementConstraints?.length ? { placementConstraints: service.placementConstraints } : {}),
    ...(service.placementStrategy?.length ? { placementStrategy: service.placementStrategy } : {}),
  };
}

/** How many times DescribeTasks may answer MISSING for a task just started before Slipway gives up on it. */
const MAX_MISSED_DESCRIBES = 5;

const silent: Reporter = { step: () => undefined, log: () => undefined };

export async function runOneOffTask(
  rt: Runtime,
  ctx: EnvironmentContext,
  taskDefinitionArn: string,
  command: readonly string[],
  options: { reporter?: Reporter; signal?: AbortSignal; purpose: string },
): Promise<OneOffResult> {
  const reporter = options.reporter ?? silent;
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const [service, cached] = await Promise.all([
    readService(rt, ctx),
    rt.taskDefinitions.get(session, taskDefinitionArn),
  ]);
  const app = appContainerName(cached.td, target.service);
  const container = cached.td.containerDefinitions?.find((c) => c.name === app) ?? {};

  const run = await session.ecs(
    new RunTaskCommand({
      cluster: target.cluster,
      taskDefinition: taskDefinitionArn,
      count: 1,
      startedBy: 'slipway',
      group: `slipway:${options.purpose}`,
      overrides: { containerOverrides: [{ name: app, command: [...command] }] },
      ...placementOf(service),
    }),
    `a one-off task in cluster ${target.cluster}`,
  );
  const started = run.tasks?.[0];
  if (started?.taskArn === undefined) {
    const failure = run.failures?.[0];
    const reason = [failure?.reason, failure?.detail].filter(Boolean).join(': ') || 'no reason given';
    return { exitCode: -1, output: [`ECS could not place the task: ${reason}.`] };
  }
  const taskArn = started.taskArn;
  reporter.log(`Started task ${taskIdOfArn(taskArn)}: ${command.join(' ')}`);

  const stopped = await waitForStop(rt, ctx, taskArn, reporter, options.signal);
  const result = stopped.containers?.find((c) => c.name === app);
  const output = await logTail(rt, ctx, container, taskArn);
  if (result?.exitCode === undefined) {
    const why = [stopped.stoppedReason, result?.reason].filter(Boolean).join(' — ') || 'ECS gave no reason';
    return { exitCode: -1, output: [`The task stopped before the command ran: ${why}`, ...output], taskArn };
  }
  return { exitCode: result.exitCode, output, taskArn };
}

async function waitForStop(
  rt: Runtime,
  ctx: EnvironmentContext,
  taskArn: string,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<Task> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const stop = (reason: string): Promise<unknown> =>
    session
      .ecs(new StopTaskCommand({ cluster: target.cluster, task: taskArn, reason }), `task ${taskIdOfArn(taskArn)}`)
      .catch(() => undefined);
  const deadline = rt.now() + rt.taskTimeoutMs;
  let lastStatus: string | undefined;
  let seen = false;
  let missed = 0;
  for (const wait of backoff(rt.pollIntervalMs, rt.maxPollIntervalMs)) {
    try {
      await rt.sleep(wait, signal);
    } catch {
      await stop('Stopped by Slipway: the run was cancelled');
      throw abortError();
    }
    const out = await session.ecs(
      new DescribeTasksCommand({ cluster: target.cluster, tasks: [taskArn] }),
      `task ${taskIdOfArn(taskArn)}`,
    );
    const task = out.tasks?.[0];
    if (!task) {
      // Just after RunTask, ECS (eventually consistent) can answer MISSING for the task it just started.
      const missing = out.failures?.some((f) => f.reason === 'MISSING') ?? false;
      if (missing && !seen && ++missed < MAX_MISSED_DESCRIBES) continue;
      throw new AppError(
        'PROVIDER_UNAVAILABLE',
        `ECS lost track of task ${taskIdOfArn(taskArn)}; check the tasks of cluster ${target.cluster} before trying again.`,
      );
    }
    seen = true;
    if (task.lastStatus !== lastStatus) {
      lastStatus = task.lastStatus;
      reporter.log(`Task ${taskIdOfArn(taskArn)} is ${(lastStatus ?? 'unknown').toLowerCase()}`);
    }
    if (task.lastStatus === 'STOPPED') return task;
    if (rt.now() > deadline) {
      await stop('Stopped by Slipway: the command ran past its time limit');
      throw new AppError(
        'DEPLOY_FAILED',
        `Task ${taskIdOfArn(taskArn)} was still running after ${Math.round(rt.taskTimeoutMs / 60_000)} minutes, so Slipway stopped it.`,
      );
    }
  }
  throw new AppError('INTERNAL', 'unreachable');
}
