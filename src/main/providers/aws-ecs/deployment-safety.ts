// Whether a service's rollouts keep Slipway's promises (new tasks healthy before old ones stop; a
// failing release rolls back by itself), and the one UpdateService that makes them do so.
import { UpdateServiceCommand, type DeploymentConfiguration, type Service } from '@aws-sdk/client-ecs';
import type { DeploymentSafety } from '../../../shared/contract/aws.js';
import { AppError } from '../../../shared/errors.js';
import type { EnvironmentContext } from '../provider.js';
import { ecsTarget, readService, serviceLabel, type Runtime } from './runtime.js';

/** ECS's own defaults for a replica service that never set them. */
const DEFAULT_MINIMUM_HEALTHY = 100;
const DEFAULT_MAXIMUM = 200;

export function deploymentSafety(service: Service): DeploymentSafety {
  const config = service.deploymentConfiguration;
  const minimumHealthyPercent = config?.minimumHealthyPercent ?? DEFAULT_MINIMUM_HEALTHY;
  const maximumPercent = config?.maximumPercent ?? DEFAULT_MAXIMUM;
  const circuitBreaker = {
    enable: config?.deploymentCircuitBreaker?.enable ?? false,
    rollback: config?.deploymentCircuitBreaker?.rollback ?? false,
  };
  return {
    minimumHealthyPercent,
    maximumPercent,
    circuitBreaker,
    safe: minimumHealthyPercent >= 100 && maximumPercent > 100 && circuitBreaker.enable && circuitBreaker.rollback,
  };
}

/** The service's deployment configuration with the safe settings; every other field (alarms, strategy…) kept. */
export function safeDeploymentConfiguration(service: Service): DeploymentConfiguration {
  const current = service.deploymentConfiguration ?? {};
  return {
    ...current,
    minimumHealthyPercent: 100,
    maximumPercent: Math.max(DEFAULT_MAXIMUM, current.maximumPercent ?? DEFAULT_MAXIMUM),
    deploymentCircuitBreaker: { enable: true, rollback: true },
  };
}

export interface SafetyChange {
  readonly before: DeploymentSafety;
  readonly after: DeploymentSafety;
  readonly changed: boolean;
}

function refuseUnfixable(service: Service, label: string): void {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new AppError(
      'INVALID_INPUT',
      `The ${label} uses the ${controller} deployment controller, whose rollouts ECS's circuit breaker does not govern. Switch the service to the ECS controller first.`,
    );
  }
  if (service.schedulingStrategy === 'DAEMON') {
    throw new AppError(
      'INVALID_INPUT',
      `The ${label} is a DAEMON service: ECS runs one task per instance and must stop it before starting its replacement, so it cannot keep 100% healthy during a deploy. Run it as a REPLICA service for zero-downtime deploys.`,
    );
  }
}

/**
 * Sends only `deploymentConfiguration` (no task definition, no desired count), so what the service runs
 * and how many tasks it keeps stay exactly as they are, and no new deployment starts.
 */
export async function makeDeploysSafe(rt: Runtime, ctx: EnvironmentContext): Promise<SafetyChange> {
  const target = ecsTarget(ctx);
  const service = await readService(rt, ctx, true);
  const before = deploymentSafety(service);
  if (before.safe) return { before, after: before, changed: false };
  refuseUnfixable(service, serviceLabel(target));
  const out = await rt.session(target).ecs(
    new UpdateServiceCommand({
      cluster: target.cluster,
      service: target.service,
      deploymentConfiguration: safeDeploymentConfiguration(service),
    }),
    serviceLabel(target),
  );
  if (!out.service) {
    rt.services.forget(target);
    throw new AppError(
      'PROVIDER_UNAVAILABLE',
      `ECS did not return ${serviceLabel(target)} after the update. Check its deployment configuration in the console.`,
    );
  }
  rt.services.put(target, out.service);
  return { before, after: deploymentSafety(out.service), changed: true };
}
