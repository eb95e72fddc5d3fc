// An ECS environment's address comes from its service's load balancer: batched, cached, and never a
// reason for status to fail.
import { Readable } from 'node:stream';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig, defaultClientFactory } from './clients.js';
import { LoadBalancerCache } from './load-balancer-cache.js';
import { AwsSession } from './session.js';
import { awsError, FakeEcs } from './testing/fake-ecs.js';
import { ecsContext, webTaskDefinition } from './testing/fixtures.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

const dns = (name: string): string => `${name}-1234567890.eu-west-1.elb.amazonaws.com`;

let clock = Date.UTC(2025, 0, 1);

describe('aws-ecs environment address', () => {
  const aws = withFakeCloud({ provider: { now: () => clock } });

  /** `count` services in cluster `apps`; those for which `exposed(i)` holds sit behind their own load balancer. */
  function services(count: number, exposed: (i: number) => boolean = () => true) {
    return Array.from({ length: count }, (_, i) => {
      const name = `svc-${i}`;
      aws.cloud.addService(i % 2 === 0 ? 'apps' : 'jobs', name, webTaskDefinition(name));
      if (exposed(i)) aws.cloud.exposeService(i % 2 === 0 ? 'apps' : 'jobs', name, dns(name));
      return ecsContext({ service: name, cluster: i % 2 === 0 ? 'apps' : 'jobs' });
    });
  }

  it('reads every target group of a refresh in one call and the load balancers 20 at a time', async () => {
    const contexts = services(45, (i) => i % 9 !== 4);
    const outcomes = await aws.provider.statusMany(contexts);

    const tgCalls = aws.cloud.elbv2.commandCalls(DescribeTargetGroupsCommand);
    expect(tgCalls).toHaveLength(1);
    expect(tgCalls[0]?.args[0].input.TargetGroupArns).toHaveLength(40);
    const lbCalls = aws.cloud.elbv2.commandCalls(DescribeLoadBalancersCommand);
    expect(lbCalls.map((c) => c.args[0].input.LoadBalancerArns?.length)).toEqual([20, 20]);

    outcomes.forEach((outcome, i) => {
      expect(outcome.ok && outcome.status.url).toBe(i % 9 === 4 ? undefined : `http://${dns(`svc-${i}`)}`);
      expect(outcome.ok && outcome.status.warnings.join(' ')).not.toContain('load balancer');
    });
  });

  it('makes no load balancer call for services without one', async () => {
    const [outcome] = await aws.provider.statusMany(services(3, () => false));
    expect(outcome?.ok && outcome.status.url).toBeUndefined();
    expect(aws.cloud.elbv2.calls()).toHaveLength(0);
  });

  it('reuses what it read for a few minutes, then reads again', async () => {
    const contexts = services(4);
    await aws.provider.statusMany(contexts);
    expect(aws.cloud.elbv2.calls()).toHaveLength(2);

    aws.cloud.elbv2.resetHistory();
    clock += 4 * 60_000;
    const warm = await aws.provider.statusMany(contexts);
    expect(aws.cloud.elbv2.calls()).toHaveLength(0);
    expect(warm.map((o) => o.ok && o.status.url)).toEqual([0, 1, 2, 3].map((i) => `http://${dns(`svc-${i}`)}`));

    clock += 2 * 60_000;
    await aws.provider.statusMany(contexts);
    expect(aws.cloud.elbv2.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(1);
    expect(aws.cloud.elbv2.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(1);
  });

  it('keeps status working without the ELB permissions, naming the action to allow', async () => {
    const [ctx] = services(1);
    if (!ctx) throw new Error('no service');
    aws.cloud.elbv2
      .on(DescribeTargetGroupsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:iam::123456789012:user/ada is not authorized to perform: elasticloadbalancing:DescribeTargetGroups because no identity-based policy allows the elasticloadbalancing:DescribeTargetGroups action',
          403,
        ),
      );
    const status = await aws.provider.status(ctx);
    expect(status.url).toBeUndefined();
    expect(status.instances).toHaveLength(2);
    const warning = status.warnings.find((w) => w.includes('load balancer of svc-0'));
    expect(warning).toContain('Ask an administrator to allow elasticloadbalancing:DescribeTargetGroups');

    // A refusal is not asked again on every refresh.
    await aws.provider.status(ctx);
    expect(aws.cloud.elbv2.calls()).toHaveLength(1);
    clock += 61_000;
    await aws.provider.status(ctx);
    expect(aws.cloud.elbv2.calls()).toHaveLength(2);
  });

  it('names DescribeLoadBalancers when only that action is refused', async () => {
    const [ctx] = services(1);
    if (!ctx) throw new Error('no service');
    aws.cloud.elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 'Access denied', 403));
    const status = await aws.provider.status(ctx);
    expect(status.url).toBeUndefined();
    expect(status.warnings.join(' ')).toContain('allow elasticloadbalancing:DescribeLoadBalancers');
  });

  it('still finds the other addresses when a target group was deleted', async () => {
    const contexts = services(3);
    const deleted = aws.cloud.service('apps', 'svc-2')?.loadBalancers?.[0]?.targetGroupArn ?? '';
    aws.cloud.elb.targetGroups.delete(deleted);
    const outcomes = await aws.provider.statusMany(contexts);
    expect(outcomes.map((o) => o.ok && o.status.url)).toEqual([
      `http://${dns('svc-0')}`,
      `http://${dns('svc-1')}`,
      undefined,
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('follows NextMarker when ELB pages its answer', async () => {
    const contexts = services(5);
    aws.cloud.elbv2
      .on(DescribeTargetGroupsCommand)
      .callsFake((input: Parameters<FakeEcs['elb']['api']['DescribeTargetGroups']>[0]) =>
        aws.cloud.elb.api.DescribeTargetGroups({ ...input, PageSize: 2 }),
      );
    const outcomes = await aws.provider.statusMany(contexts);
    expect(aws.cloud.elbv2.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(3);
    expect(outcomes.every((o) => o.ok && o.status.url?.startsWith('http://svc-'))).toBe(true);
  });
});

describe('LoadBalancerCache limits', () => {
  const clouds: FakeEcs[] = [];
  afterEach(() => clouds.splice(0).forEach((c) => c.restore()));

  it('splits more than 400 target groups and more than 20 load balancers into calls ELB accepts', async () => {
    const cloud = new FakeEcs();
    clouds.push(cloud);
    const arns = Array.from(
      { length: 401 },
      (_, i) => cloud.elb.addLoadBalancer(`lb-${i}`, dns(`lb-${i}`)).targetGroupArn,
    );
    const key = { region: 'eu-west-1' };
    const clients = defaultClientFactory(key);
    const cache = new LoadBalancerCache(60_000, 60_000, () => 0);
    const addresses = await cache.lookup(new AwsSession(clients, key), arns);

    expect(addresses.error).toBeUndefined();
    expect(
      cloud.elbv2.commandCalls(DescribeTargetGroupsCommand).map((c) => c.args[0].input.TargetGroupArns?.length),
    ).toEqual([400, 1]);
    expect(cloud.elbv2.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(21);
    expect(addresses.urlFor([arns[400] ?? ''])).toBe(`http://${dns('lb-400')}`);
  });
});

describe('load balancer client', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('honours AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2', async () => {
    process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 = 'http://127.0.0.1:4567';
    const seen: { hostname: string; port?: number | undefined }[] = [];
    const body =
      '<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers/></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>';
    const client = new ElasticLoadBalancingV2Client({
      ...clientConfig({ region: 'eu-west-1' }),
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
      requestHandler: {
        handle: async (request: { hostname: string; port?: number }) => {
          seen.push({ hostname: request.hostname, port: request.port });
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'text/xml' },
              body: Readable.from([Buffer.from(body)]),
            },
          };
        },
      },
    });
    await client.send(new DescribeLoadBalancersCommand({}));
    client.destroy();
    expect(seen).toEqual([{ hostname: '127.0.0.1', port: 4567 }]);
  });
});
