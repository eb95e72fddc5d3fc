import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { countCalls, measure, resetCalls } from './testing/call-counts.js';
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
      // 24 services behind a load balancer of their own, one without.
      if (i > 0) aws.cloud.exposeService('apps', `svc-${i}`, `svc-${i}.eu-west-1.elb.amazonaws.com`);
      return ecsContext({ service: `svc-${i}` });
    });
    const outcomes = await aws.provider.statusMany(contexts);
    // The floor: ceil(24 target groups / 400) and ceil(24 load balancers / 20).
    expect(aws.cloud.elbv2.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(1);
    expect(aws.cloud.elbv2.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(2);
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
    expect(first?.ok && first.status.url).toBeUndefined();
    expect(outcomes[7]?.ok && outcomes[7].status.url).toBe('http://svc-7.eu-west-1.elb.amazonaws.com');

    // Load balancers rarely change: a refresh a moment later asks ELB nothing.
    resetCalls(aws.cloud);
    await aws.provider.statusMany(contexts);
    expect(countCalls(aws.cloud)).not.toHaveProperty('DescribeTargetGroups');
    expect(countCalls(aws.cloud)).not.toHaveProperty('DescribeLoadBalancers');
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
