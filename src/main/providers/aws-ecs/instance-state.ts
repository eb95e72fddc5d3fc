// An ECS task as Slipway shows an instance.
import type { Task } from '@aws-sdk/client-ecs';
import type { Instance } from '../../../shared/model.js';
import { taskIdOfArn } from './runtime.js';

function stateOf(task: Task): Instance['state'] {
  const last = task.lastStatus ?? '';
  if (last === 'STOPPED') return 'stopped';
  if (task.desiredStatus === 'STOPPED' || ['DEACTIVATING', 'STOPPING', 'DEPROVISIONING'].includes(last))
    return 'draining';
  if (last !== 'RUNNING') return 'starting';
  // UNKNOWN means the task has no container health check; a running task then counts as healthy.
  return task.healthStatus === 'UNHEALTHY' ? 'unhealthy' : 'healthy';
}

function addressOf(task: Task): string | undefined {
  for (const attachment of task.attachments ?? []) {
    const ip = attachment.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    if (ip !== undefined) return ip;
  }
  return task.containers?.flatMap((c) => c.networkInterfaces ?? []).find((n) => n.privateIpv4Address !== undefined)
    ?.privateIpv4Address;
}

export function toInstance(task: Task, releaseVersion: number | undefined): Instance {
  const details = [
    task.lastStatus === 'RUNNING' && task.healthStatus === 'UNKNOWN' ? 'no health check' : undefined,
    task.stoppedReason,
    task.availabilityZone,
  ].filter((d): d is string => d !== undefined && d !== '');
  const startedAt = task.startedAt ?? task.createdAt;
  const address = addressOf(task);
  return {
    id: taskIdOfArn(task.taskArn ?? ''),
    ...(releaseVersion === undefined ? {} : { releaseVersion }),
    state: stateOf(task),
    ...(startedAt === undefined ? {} : { startedAt: startedAt.toISOString() }),
    ...(address === undefined ? {} : { address }),
    ...(details.length === 0 ? {} : { detail: details.join(' · ') }),
  };
}
