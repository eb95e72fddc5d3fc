import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { deploySpec, ecsContext, recorder } from './testing/fixtures.js';
import { deploy } from './testing/flows.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

describe('aws-ecs rollout', () => {
  const aws = withFakeCloud({ services: ['web-staging'] });
  const ctx = ecsContext();
  const signal = (): AbortSignal => new AbortController().signal;

  it('updates the service to the release and follows the service deployment until it succeeds', async () => {
    const release = await aws.provider.createRelease(ctx, deploySpec);
    await aws.provider.rollout(ctx, release, aws.reporter, signal());
    const update = aws.cloud.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
    expect(update).toEqual({
      cluster: 'apps',
      service: 'web-staging',
      taskDefinition: expect.stringMatching(/task-definition\/web-staging:2$/),
    });
    expect(aws.cloud.ecs.commandCalls(DescribeServiceDeploymentsCommand).length).toBeGreaterThan(0);
    expect(aws.reporter.lines.some((l) => /new tasks running/.test(l))).toBe(true);
    await aws.provider.setReleaseStatus(ctx, release.version, 'succeeded');
    expect((await aws.provider.status(ctx)).current?.version).toBe(release.version);
  });

  it('reports a circuit-breaker rollback as DEPLOY_FAILED, and status shows the revision still running', async () => {
    const good = await deploy(aws.provider, ctx);
    const broken = await aws.provider.createRelease(ctx, {
      ...deploySpec,
      config: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    });
    const error = await aws.provider.rollout(ctx, broken, aws.reporter, signal()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect((error as Error).message).toContain(`v${good.version} is serving`);
    expect(aws.reporter.lines.some((l) => /circuit breaker \d\/3 failures/.test(l))).toBe(true);
    const status = await aws.provider.status(ctx);
    expect(status.current?.version).toBe(good.version);
  });

  it('falls back to the service deployments array when the endpoint lacks the service-deployment API', async () => {
    aws.cloud.deploymentApi = false;
    const good = await deploy(aws.provider, ctx);
    expect(aws.cloud.ecs.commandCalls(DescribeServicesCommand).length).toBeGreaterThan(1);
    const broken = await aws.provider.createRelease(ctx, {
      ...deploySpec,
      config: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    });
    const error = await aws.provider.rollout(ctx, broken, recorder(), signal()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect((error as Error).message).toMatch(/circuit breaker/);
    expect((await aws.provider.status(ctx)).current?.version).toBe(good.version);
  });

  it('aborts an in-flight rollout with StopServiceDeployment ROLLBACK', async () => {
    const good = await deploy(aws.provider, ctx);
    aws.cloud.rolloutPolls = 100;
    const next = await aws.provider.createRelease(ctx, deploySpec);
    const controller = new AbortController();
    const reporter = { step: () => undefined, log: () => controller.abort() };
    const error = await aws.provider.rollout(ctx, next, reporter, controller.signal).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect(aws.cloud.ecs.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toMatchObject({
      stopType: 'ROLLBACK',
    });
    expect((await aws.provider.status(ctx)).current?.version).toBe(good.version);
  });

  it('aborts by pointing the service back at the previous revision when StopServiceDeployment is missing', async () => {
    aws.cloud.deploymentApi = false;
    await deploy(aws.provider, ctx);
    const before = aws.cloud.service('apps', 'web-staging')?.taskDefinition;
    aws.cloud.rolloutPolls = 100;
    const next = await aws.provider.createRelease(ctx, deploySpec);
    await aws.provider.rollout(ctx, next, recorder(), AbortSignal.abort()).catch(() => undefined);
    const updates = aws.cloud.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition);
    expect(updates.at(-1)).toBe(before);
  });

  it('waits for a rollout started elsewhere before starting its own, and says so (mock: the emulator completes rollouts at once)', async () => {
    const first = await aws.provider.createRelease(ctx, deploySpec);
    const second = await aws.provider.createRelease(ctx, deploySpec);
    // Another tool (or teammate) starts rolling out `first`; it takes a few polls.
    aws.cloud.rolloutPolls = 3;
    const other = new ECSClient({ region: 'eu-west-1' });
    const firstArn = aws.cloud.service('apps', 'web-staging')?.taskDefinition?.replace(/:\d+$/, `:${first.version}`);
    await other.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web-staging', taskDefinition: firstArn }));

    const reporter = recorder();
    await aws.provider.withEnvironmentLock(ctx, () => aws.provider.rollout(ctx, second, reporter, signal()));
    expect(reporter.lines.join('\n')).toMatch(/A rollout of web-staging:\d+ started elsewhere is in progress.*waiting/);
    const updates = aws.cloud.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition);
    // Ours was sent only once the other one had completed: never two rollouts fighting.
    expect(updates).toEqual([firstArn, expect.stringMatching(new RegExp(`:${second.version}$`))]);
    expect((await aws.provider.status(ctx)).current?.version).toBe(second.version);
  });
});
