// Reading how a service deployment is going, from the service-deployment API when the endpoint has it,
// else from the service's `deployments` array (older endpoints, emulators, CLB or external controllers).
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type Deployment,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { AwsEcsTarget } from '../../../shared/model.js';
import { missingService } from './service-cache.js';
import type { AwsSession } from './session.js';

export type Progress =
  | { readonly state: 'in-progress'; readonly message: string }
  | { readonly state: 'rolling-back'; readonly message: string; readonly reason: string }
  | { readonly state: 'succeeded'; readonly message: string }
  | { readonly state: 'failed'; readonly message: string; readonly reason: string };

/** Undefined when none is in progress or the endpoint lacks the service-deployment API (then never asked again). */
export async function findActiveDeploymentArn(session: AwsSession, target: AwsEcsTarget): Promise<string | undefined> {
  const out = await session.ecsIfSupported(
    new ListServiceDeploymentsCommand({
      cluster: target.cluster,
      service: target.service,
      status: ['PENDING', 'IN_PROGRESS'],
    }),
    `service ${target.service} in cluster ${target.cluster}`,
  );
  return out?.serviceDeployments?.[0]?.serviceDeploymentArn;
}

function counts(sd: ServiceDeployment): string {
  const t = sd.targetServiceRevision;
  const parts = [`${t?.runningTaskCount ?? 0}/${t?.requestedTaskCount ?? 0} new tasks running`];
  if ((t?.pendingTaskCount ?? 0) > 0) parts.push(`${t?.pendingTaskCount} pending`);
  const breaker = sd.deploymentCircuitBreaker;
  if (breaker?.status !== undefined && breaker.status !== 'DISABLED') {
    parts.push(`circuit breaker ${breaker.failureCount ?? 0}/${breaker.threshold ?? '?'} failures`);
  }
  const triggered = sd.alarms?.triggeredAlarmNames ?? [];
  if (triggered.length > 0) parts.push(`alarms in ALARM: ${triggered.join(', ')}`);
  return parts.join(', ');
}

/** Undefined when the endpoint lacks the service-deployment API: the caller reads the service instead. */
export async function readServiceDeployment(session: AwsSession, arn: string): Promise<Progress | undefined> {
  const out = await session.ecsIfSupported(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    `service deployment ${arn.slice(arn.lastIndexOf('/') + 1)}`,
  );
  if (out === undefined) return undefined;
  const sd = out.serviceDeployments?.[0];
  if (!sd) return { state: 'in-progress', message: 'Waiting for ECS to report the deployment' };
  const reason = sd.statusReason ?? sd.rollback?.reason ?? 'ECS gave no reason';
  switch (sd.status) {
    case 'SUCCESSFUL':
      return { state: 'succeeded', message: counts(sd) };
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return { state: 'rolling-back', message: `Rolling back: ${reason}`, reason };
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
    case 'STOPPED':
    case 'STOP_REQUESTED':
      return { state: 'failed', message: `${sd.status}: ${reason}`, reason };
    default:
      return { state: 'in-progress', message: counts(sd) };
  }
}

function deploymentCounts(d: Deployment): string {
  const failed = (d.failedTasks ?? 0) > 0 ? `, ${d.failedTasks} failed` : '';
  return `${d.runningCount ?? 0}/${d.desiredCount ?? 0} new tasks running, ${d.pendingCount ?? 0} pending${failed}`;
}

/** Progress of the deployment of `taskDefinitionArn`, read from the service's deployments array. */
export function progressFromService(
  service: Service,
  taskDefinitionArn: string,
  deploymentId: string | undefined,
): Progress {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) =>
    deploymentId !== undefined ? d.id === deploymentId : d.taskDefinition === taskDefinitionArn,
  );
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!ours || (primary !== undefined && primary !== ours && primary.taskDefinition !== taskDefinitionArn)) {
    const reason =
      ours?.rolloutStateReason ??
      'another deployment replaced it (the circuit breaker rolled back, or someone else deployed)';
    return { state: 'failed', message: reason, reason };
  }
  if (ours.rolloutState === 'FAILED') {
    const reason = ours.rolloutStateReason ?? 'the deployment failed';
    return { state: 'failed', message: reason, reason };
  }
  if (ours.rolloutState === 'COMPLETED') return { state: 'succeeded', message: deploymentCounts(ours) };
  // No rolloutState (classic load balancer, external controller): steady when only ours is left.
  if (
    ours.rolloutState === undefined &&
    deployments.length === 1 &&
    (ours.runningCount ?? 0) >= (ours.desiredCount ?? 0)
  ) {
    return { state: 'succeeded', message: deploymentCounts(ours) };
  }
  return { state: 'in-progress', message: deploymentCounts(ours) };
}

export async function describeServiceFresh(session: AwsSession, target: AwsEcsTarget): Promise<Service> {
  const out = await session.ecs(
    new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }),
    `service ${target.service} in cluster ${target.cluster}`,
  );
  const service = out.services?.[0];
  if (!service) throw missingService(target, out.failures?.[0]?.reason);
  return service;
}
