import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import type { Release } from '../../../shared/model.js';
import { createAwsEcsProvider, type AwsEcsProvider } from './provider.js';
import { FakeEcs } from './testing/fake-ecs.js';
import {
  actor,
  DIGEST_B,
  ecsContext,
  fastPolling,
  IMAGE_REPO,
  recorder,
  webTaskDefinition,
} from './testing/fixtures.js';

describe('aws-ecs rollout', () => {
  let cloud: FakeEcs;
  let provider: AwsEcsProvider;
  const ctx = ecsContext();
  const spec = {
    kind: 'deploy' as const,
    artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
    config: {},
    actor,
    description: 'Deploy',
  };
  const signal = (): AbortSignal => new AbortController().signal;

  const deployOk = async (): Promise<Release> => {
    const release = await provider.createRelease(ctx, spec);
    await provider.rollout(ctx, release, recorder(), signal());
    return provider.setReleaseStatus(ctx, release.version, 'succeeded');
  };

  beforeEach(() => {
    cloud = new FakeEcs();
    cloud.addService('apps', 'web-staging', webTaskDefinition());
    provider = createAwsEcsProvider(fastPolling);
  });
  afterEach(async () => {
    await provider.dispose();
    cloud.restore();
  });

  it('updates the service to the release and follows the service deployment until it succeeds', async () => {
    const release = await provider.createRelease(ctx, spec);
    const reporter = recorder();
    await provider.rollout(ctx, release, reporter, signal());
    const update = cloud.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
    expect(update).toEqual({
      cluster: 'apps',
      service: 'web-staging',
      taskDefinition: expect.stringMatching(/task-definition\/web-staging:2$/),
    });
    expect(cloud.ecs.commandCalls(DescribeServiceDeploymentsCommand).length).toBeGreaterThan(0);
    expect(reporter.lines.some((l) => /new tasks running/.test(l))).toBe(true);
    await provider.setReleaseStatus(ctx, release.version, 'succeeded');
    expect((await provider.status(ctx)).current?.version).toBe(release.version);
  });

  it('reports a circuit-breaker rollback as DEPLOY_FAILED, and status shows the revision still running', async () => {
    const good = await deployOk();
    const broken = await provider.createRelease(ctx, {
      ...spec,
      config: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    });
    const reporter = recorder();
    const error = await provider.rollout(ctx, broken, reporter, signal()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect((error as Error).message).toContain(`v${good.version} is serving`);
    expect(reporter.lines.some((l) => /circuit breaker \d\/3 failures/.test(l))).toBe(true);
    const status = await provider.status(ctx);
    expect(status.current?.version).toBe(good.version);
  });

  it('falls back to the service deployments array when the endpoint lacks the service-deployment API', async () => {
    cloud.deploymentApi = false;
    const good = await deployOk();
    expect(cloud.ecs.commandCalls(DescribeServicesCommand).length).toBeGreaterThan(1);
    const broken = await provider.createRelease(ctx, {
      ...spec,
      config: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    });
    const error = await provider.rollout(ctx, broken, recorder(), signal()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect((error as Error).message).toMatch(/circuit breaker/);
    expect((await provider.status(ctx)).current?.version).toBe(good.version);
  });

  it('aborts an in-flight rollout with StopServiceDeployment ROLLBACK', async () => {
    const good = await deployOk();
    cloud.rolloutPolls = 100;
    const next = await provider.createRelease(ctx, spec);
    const controller = new AbortController();
    const reporter = { step: () => undefined, log: () => controller.abort() };
    const error = await provider.rollout(ctx, next, reporter, controller.signal).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    expect(cloud.ecs.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toMatchObject({
      stopType: 'ROLLBACK',
    });
    expect((await provider.status(ctx)).current?.version).toBe(good.version);
  });

  it('aborts by pointing the service back at the previous revision when StopServiceDeployment is missing', async () => {
    cloud.deploymentApi = false;
    await deployOk();
    const before = cloud.service('apps', 'web-staging')?.taskDefinition;
    cloud.rolloutPolls = 100;
    const next = await provider.createRelease(ctx, spec);
    await provider.rollout(ctx, next, recorder(), AbortSignal.abort()).catch(() => undefined);
    const updates = cloud.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition);
    expect(updates.at(-1)).toBe(before);
  });
});
