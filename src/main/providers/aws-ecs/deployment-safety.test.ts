import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { awsError } from './testing/fake-ecs.js';
import { ecsContext, webTaskDefinition } from './testing/fixtures.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';
import { ecsDetailsOf } from '../../../shared/provider-details.js';

const alarms = { alarmNames: ['web-5xx'], enable: true, rollback: true };

describe('aws-ecs deployment safety', () => {
  const aws = withFakeCloud();
  const ctx = ecsContext();

  const addWeb = (deploymentConfiguration: object, extra: object = {}) =>
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition(), { deploymentConfiguration, ...extra });

  it('reports the settings in status details next to the warnings', async () => {
    addWeb({ minimumHealthyPercent: 50, maximumPercent: 200 });
    const status = await aws.provider.status(ctx);
    expect(ecsDetailsOf(status.details)?.deploymentSafety).toEqual({
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      circuitBreaker: { enable: false, rollback: false },
      safe: false,
    });
    expect(status.warnings.filter((w) => /Minimum healthy|circuit breaker/.test(w))).toHaveLength(2);
  });

  it('sends one UpdateService with only the deployment configuration, keeping its other fields', async () => {
    addWeb({ minimumHealthyPercent: 50, maximumPercent: 150, alarms });
    const before = aws.cloud.service('apps', 'web-staging');
    const result = await aws.provider.capabilities.deploySafety.makeSafe(ctx);

    const updates = aws.cloud.ecs.commandCalls(UpdateServiceCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args[0].input).toEqual({
      cluster: 'apps',
      service: 'web-staging',
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms,
      },
    });
    expect(result).toEqual({
      before: {
        minimumHealthyPercent: 50,
        maximumPercent: 150,
        circuitBreaker: { enable: false, rollback: false },
        safe: false,
      },
      after: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        circuitBreaker: { enable: true, rollback: true },
        safe: true,
      },
      changed: true,
    });

    // The service runs what it ran, with as many tasks, and no deployment was started.
    const after = aws.cloud.service('apps', 'web-staging');
    expect(after?.taskDefinition).toBe(before?.taskDefinition);
    expect(after?.desiredCount).toBe(before?.desiredCount);
    expect(after?.deployments?.map((d) => d.id)).toEqual(before?.deployments?.map((d) => d.id));
    const status = await aws.provider.status(ctx);
    expect(ecsDetailsOf(status.details)?.deploymentSafety).toMatchObject({ safe: true });
    expect(status.warnings.filter((w) => /Minimum healthy|circuit breaker/.test(w))).toEqual([]);
  });

  it('keeps a maximum percent above 200, and turns on rollback for a breaker that only watches', async () => {
    addWeb({
      minimumHealthyPercent: 100,
      maximumPercent: 300,
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
    await aws.provider.capabilities.deploySafety.makeSafe(ctx);
    expect(aws.cloud.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 300,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
  });

  it('gives a service with no deployment configuration ECS defaults plus the breaker', async () => {
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition(), { deploymentConfiguration: undefined });
    const result = await aws.provider.capabilities.deploySafety.makeSafe(ctx);
    expect(aws.cloud.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(result.before).toMatchObject({ minimumHealthyPercent: 100, maximumPercent: 200, safe: false });
  });

  it('sends nothing when the service is already safe', async () => {
    addWeb({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const result = await aws.provider.capabilities.deploySafety.makeSafe(ctx);
    expect(result.changed).toBe(false);
    expect(result.after.safe).toBe(true);
    expect(aws.cloud.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('refuses services whose rollouts ECS rolling updates do not run, without touching them', async () => {
    addWeb({ minimumHealthyPercent: 50 }, { deploymentController: { type: 'CODE_DEPLOY' } });
    const error = await aws.provider.capabilities.deploySafety.makeSafe(ctx).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain('CODE_DEPLOY deployment controller');
    expect(aws.cloud.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('names the IAM action when AWS refuses the update', async () => {
    addWeb({ minimumHealthyPercent: 50 });
    aws.cloud.ecs
      .on(UpdateServiceCommand)
      .rejects(
        awsError('AccessDeniedException', 'User is not authorized to perform: ecs:UpdateService on resource', 403),
      );
    const error = await aws.provider.capabilities.deploySafety.makeSafe(ctx).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_DENIED');
    expect((error as Error).message).toContain('ecs:UpdateService');
    expect(aws.cloud.service('apps', 'web-staging')?.deploymentConfiguration?.minimumHealthyPercent).toBe(50);
  });
});
