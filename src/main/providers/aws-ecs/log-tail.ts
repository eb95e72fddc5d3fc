// The last lines a task's container wrote, from its awslogs stream (group, prefix/container/task-id).
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { isAppError } from '../../../shared/errors.js';
import { ecsTarget, taskIdOfArn, type Runtime } from './runtime.js';
import type { EnvironmentContext } from '../provider.js';

export interface LogStream {
  readonly region: string;
  readonly group: string;
  readonly stream: string;
}

export function awslogsStream(
  container: ContainerDefinition,
  taskArn: string,
  defaultRegion: string,
): LogStream | undefined {
  const log = container.logConfiguration;
  const options = log?.options ?? {};
  const group = options['awslogs-group'];
  const prefix = options['awslogs-stream-prefix'];
  if (log?.logDriver !== 'awslogs' || group === undefined || prefix === undefined || container.name === undefined)
    return undefined;
  return {
    region: options['awslogs-region'] ?? defaultRegion,
    group,
    stream: `${prefix}/${container.name}/${taskIdOfArn(taskArn)}`,
  };
}

export async function logTail(
  rt: Runtime,
  ctx: EnvironmentContext,
  container: ContainerDefinition,
  taskArn: string,
  lines = 100,
): Promise<string[]> {
  const target = ecsTarget(ctx);
  const where = awslogsStream(container, taskArn, target.region);
  if (!where) {
    return [
      `(No output: container ${container.name ?? '?'} does not log to CloudWatch with an awslogs stream prefix.)`,
    ];
  }
  try {
    const out = await rt.session({ profile: target.profile, region: where.region }).logs(
      new GetLogEventsCommand({
        logGroupName: where.group,
        logStreamName: where.stream,
        startFromHead: false,
        limit: lines,
      }),
      `log stream ${where.group}/${where.stream}`,
    );
    return (out.events ?? []).map((event) => (event.message ?? '').replace(/\n$/, ''));
  } catch (error) {
    // A task that never started has no stream; say so instead of failing the whole result.
    if (isAppError(error) && error.code === 'NOT_FOUND')
      return [`(No output: log stream ${where.group}/${where.stream} does not exist.)`];
    if (isAppError(error)) return [`(Output unavailable: ${error.message})`];
    throw error;
  }
}
