import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsEcsProvider, type AwsEcsProvider } from './provider.js';
import { measure } from './testing/call-counts.js';
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

describe('aws-ecs call counts', () => {
  let cloud: FakeEcs;
  let provider: AwsEcsProvider;
  const signal = new AbortController().signal;

  beforeEach(() => {
    cloud = new FakeEcs();
    provider = createAwsEcsProvider(fastPolling);
  });
  afterEach(async () => {
    await provider.dispose();
    cloud.restore();
  });

  it('promotes and rolls back in at most 5 ECS calls each, polling aside', async () => {
    cloud.addService('apps', 'web-staging', webTaskDefinition('web-staging'));
    cloud.addService('apps', 'web-production', webTaskDefinition('web-production'));
    const staging = ecsContext();
    const production = ecsContext({ environment: 'production' });
    const spec = {
      kind: 'deploy' as const,
      artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
      config: {},
      actor,
      description: 'Deploy',
    };
    const source = await provider.createRelease(staging, spec);

    const promote = await measure(cloud, async () => {
      const release = await provider.createRelease(production, {
        ...spec,
        kind: 'promote',
        source: { environment: 'staging', version: source.version },
      });
      await provider.rollout(production, release, recorder(), signal);
      await provider.setReleaseStatus(production, release.version, 'succeeded');
    });
    // TagResource marks the release succeeded: that is the status write, not the promote.
    expect(promote.total - (promote.byOperation.TagResource ?? 0)).toBeLessThanOrEqual(5);

    const v2 = await provider.createRelease(production, { ...spec, config: { A: { value: '1', secret: false } } });
    await provider.rollout(production, v2, recorder(), signal);
    await provider.setReleaseStatus(production, v2.version, 'succeeded');
    const rollback = await measure(cloud, async () => {
      const old = await provider.getRelease(production, 1);
      if (!old) throw new Error('v1 is missing');
      const release = await provider.createRelease(production, {
        ...old,
        kind: 'rollback',
        actor,
        description: 'Rollback to v1',
        source: { environment: 'production', version: 1 },
      });
      await provider.rollout(production, release, recorder(), signal);
    });
    expect(rollback.total).toBeLessThanOrEqual(5);
  });

  it('reads many environments with batched DescribeServices and DescribeTasks, each task definition once', async () => {
    const contexts = Array.from({ length: 25 }, (_, i) => {
      cloud.addService('apps', `svc-${i}`, webTaskDefinition(i % 5 === 0 ? 'shared' : `svc-${i}`));
      return ecsContext({ service: `svc-${i}` });
    });
    const outcomes = await provider.statusMany(contexts);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(cloud.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
    expect(cloud.ecs.commandCalls(ListTasksCommand)).toHaveLength(25);
    expect(cloud.ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
    const described = cloud.ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition);
    expect(new Set(described).size).toBe(described.length);
    expect(described).toHaveLength(25);

    const first = outcomes[0];
    expect(first?.ok && first.status.instances).toHaveLength(2);
    expect(first?.ok && first.status.details).toMatchObject({
      desiredCount: 2,
      deployments: [{ rolloutState: 'COMPLETED' }],
    });
  });

  it('warns about settings that break zero-downtime deploys or automatic rollback, with the fix', async () => {
    cloud.addService('apps', 'web-staging', webTaskDefinition(), {
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
    });
    const { warnings } = await provider.status(ecsContext());
    expect(warnings.some((w) => /Minimum healthy percent is 50%.*Set it to 100/.test(w))).toBe(true);
    expect(warnings.some((w) => /circuit breaker is off.*enable=true,rollback=true/.test(w))).toBe(true);
  });
});
