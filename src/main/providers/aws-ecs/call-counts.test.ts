import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { measure } from './testing/call-counts.js';
import { deploySpec, ecsContext, webTaskDefinition } from './testing/fixtures.js';
import { deploy, promote, rollBack } from './testing/flows.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

describe('aws-ecs call counts', () => {
  const aws = withFakeCloud();

  it('promotes and rolls back in at most 5 ECS calls each, polling aside', async () => {
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition('web-staging'));
    aws.cloud.addService('apps', 'web-production', webTaskDefinition('web-production'));
    const staging = ecsContext();
    const production = ecsContext({ environment: 'production' });
    const source = await aws.provider.createRelease(staging, deploySpec);

    const promoted = await measure(aws.cloud, async () => {
      const release = await promote(aws.provider, production, { environment: 'staging', release: source });
      await aws.provider.setReleaseStatus(production, release.version, 'succeeded');
    });
    // TagResource marks the release succeeded: that is the status write, not the promote.
    expect(promoted.total - (promoted.byOperation.TagResource ?? 0)).toBeLessThanOrEqual(5);

    await deploy(aws.provider, production, { ...deploySpec, config: { A: { value: '1', secret: false } } });
    const rolledBack = await measure(aws.cloud, () => rollBack(aws.provider, production, 1));
    expect(rolledBack.total).toBeLessThanOrEqual(5);
  });

  it('reads many environments with batched DescribeServices and DescribeTasks, each task definition once', async () => {
    const contexts = Array.from({ length: 25 }, (_, i) => {
      aws.cloud.addService('apps', `svc-${i}`, webTaskDefinition(i % 5 === 0 ? 'shared' : `svc-${i}`));
      return ecsContext({ service: `svc-${i}` });
    });
    const outcomes = await aws.provider.statusMany(contexts);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(aws.cloud.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
    expect(aws.cloud.ecs.commandCalls(ListTasksCommand)).toHaveLength(25);
    expect(aws.cloud.ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
    const described = aws.cloud.ecs
      .commandCalls(DescribeTaskDefinitionCommand)
      .map((c) => c.args[0].input.taskDefinition);
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
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition(), {
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
    });
    const { warnings } = await aws.provider.status(ecsContext());
    expect(warnings.some((w) => /Minimum healthy percent is 50%.*Set it to 100/.test(w))).toBe(true);
    expect(warnings.some((w) => /circuit breaker is off.*enable=true,rollback=true/.test(w))).toBe(true);
  });
});
