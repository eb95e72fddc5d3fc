// Service settings that break Slipway's promises (zero downtime, automatic rollback), each with its fix.
import type { Service } from '@aws-sdk/client-ecs';

export function serviceWarnings(service: Service, cluster: string): string[] {
  const warnings: string[] = [];
  const name = service.serviceName ?? 'the service';
  const config = service.deploymentConfiguration;
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    warnings.push(
      `${name} uses the ${controller} deployment controller; Slipway rolls out with ECS rolling updates. Switch the service to the ECS controller to deploy from Slipway.`,
    );
  }
  const minHealthy = config?.minimumHealthyPercent ?? 100;
  if (minHealthy < 100) {
    warnings.push(
      `Minimum healthy percent is ${minHealthy}%, so ECS may stop old tasks before new ones are healthy. Set it to 100 in ${name}'s deployment configuration for zero-downtime deploys.`,
    );
  }
  const maximum = config?.maximumPercent ?? 200;
  if (minHealthy >= 100 && maximum <= 100) {
    warnings.push(
      `Maximum percent is ${maximum}% with minimum healthy ${minHealthy}%, so ECS has no room to start a new task before stopping an old one and a deploy cannot proceed. Set maximum percent to 200 in ${name}'s deployment configuration.`,
    );
  }
  const breaker = config?.deploymentCircuitBreaker;
  if (!breaker?.enable || !breaker.rollback) {
    warnings.push(
      `The deployment circuit breaker ${breaker?.enable ? 'does not roll back' : 'is off'}, so a broken release keeps retrying instead of rolling back. Turn it on with rollback: aws ecs update-service --cluster ${cluster} --service ${name} --deployment-configuration "deploymentCircuitBreaker={enable=true,rollback=true}".`,
    );
  }
  return warnings;
}
