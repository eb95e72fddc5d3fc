// The provider with the real AWS SDK clients, over HTTP, against the stand-in: no client mock. This is
// what `slipway` does when AWS_ENDPOINT_URL points at an emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentContext, Reporter } from '../../provider.js';
import { createAwsEcsProvider, type AwsEcsProvider } from '../provider.js';
import { useStandIn } from '../testing/use-stand-in.js';
import { DEMO_ADDRESSES, DEMO_IMAGE_NAME, DEMO_REVISIONS } from './demo-account.js';
import { ecsDetailsOf } from '../../../../shared/provider-details.js';

const standIn = useStandIn({ settleAfterMs: 50 });
let provider: AwsEcsProvider;

const pipeline = {
  name: 'shop',
  environments: (['staging', 'production'] as const).map((name) => ({
    name,
    target: { provider: 'aws-ecs' as const, region: 'eu-west-1', cluster: name, service: 'shop-web' },
  })),
};
const ctx = (name: 'staging' | 'production'): EnvironmentContext => ({
  pipeline,
  environment: pipeline.environments.find((e) => e.name === name) ?? pipeline.environments[0]!,
});
const lines: string[] = [];
const reporter: Reporter = { step: (name) => void lines.push(`step ${name}`), log: (line) => void lines.push(line) };
const actor = { user: 'ada' };

beforeAll(() => {
  provider = createAwsEcsProvider({ pollIntervalMs: 20, maxPollIntervalMs: 50 });
});

afterAll(async () => {
  await provider.dispose();
});

describe('aws-ecs provider against the HTTP stand-in (real SDK clients)', () => {
  it('answers whoami through STS', async () => {
    expect(await provider.capabilities.account.whoami({ region: 'eu-west-1' })).toEqual({
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/slipway-demo',
      userId: 'AIDASTANDIN0000DEMO01',
      region: 'eu-west-1',
    });
    expect(standIn.calls).toContain('sts:GetCallerIdentity');
  });

  it('discovers the demo clusters and adopts a service Slipway has not deployed yet as an external release', async () => {
    const clusters = await provider.capabilities.account.discover({ region: 'eu-west-1' });
    expect(clusters.map((c) => [c.name, c.services.map((s) => `${s.name} ${s.taskDefinition}`)])).toEqual([
      ['production', ['shop-web shop-web-production:1']],
      ['staging', ['shop-web shop-web-staging:1']],
    ]);
    const status = await provider.status(ctx('staging'));
    expect(status.current).toMatchObject({ version: 1, kind: 'external', description: 'Registered outside Slipway' });
    expect(status.instances.map((i) => i.state)).toEqual(['healthy', 'healthy']);
    expect(status.warnings.join(' ')).not.toContain('did not register');
  });

  it("reads each environment's address from its load balancer over the query protocol", async () => {
    const outcomes = await provider.statusMany([ctx('staging'), ctx('production')]);
    expect(outcomes.map((o) => o.ok && o.status.url)).toEqual([
      `http://${DEMO_ADDRESSES.staging}`,
      `http://${DEMO_ADDRESSES.production}`,
    ]);
    expect(standIn.calls).toContain('elasticloadbalancing:DescribeTargetGroups');
    expect(standIn.calls).toContain('elasticloadbalancing:DescribeLoadBalancers');
  });

  it('deploys an ECR tag to staging pinned by digest, then promotes it to production with production config', async () => {
    const resolved = await provider.resolveArtifact(ctx('staging'), `${DEMO_IMAGE_NAME}:v1.4.0`, reporter);
    const image = standIn.demo?.nextImage;
    expect(resolved).toEqual({ artifact: { kind: 'images', images: { app: image } }, sha: DEMO_REVISIONS.next });

    // The core carries the serving release's config over: here the one the service ran before Slipway.
    const before = await provider.currentRelease(ctx('staging'));
    const staged = await provider.createRelease(ctx('staging'), {
      kind: 'deploy',
      ...resolved,
      config: before?.config ?? {},
      actor,
      description: 'Deploy 9b8a7c6',
    });
    await provider.rollout(ctx('staging'), staged, reporter, new AbortController().signal);
    await provider.setReleaseStatus(ctx('staging'), staged.version, 'succeeded');
    const staging = await provider.status(ctx('staging'));
    expect(staging.current).toMatchObject({ version: 2, artifact: { images: { app: image } }, status: 'succeeded' });
    // The service's own variables and secret reference survive Slipway's first release.
    expect(staging.current?.config).toMatchObject({
      APP_ENV: { value: 'staging', secret: false },
      DATABASE_URL: { secret: true },
    });

    const [source] = await provider.listReleases(ctx('staging'));
    const promoted = await provider.createRelease(ctx('production'), {
      kind: 'promote',
      artifact: source!.artifact,
      sha: source!.sha,
      config: (await provider.currentRelease(ctx('production')))?.config ?? {},
      actor,
      description: 'Promote staging v2',
      source: { environment: 'staging', version: 2 },
    });
    await provider.rollout(ctx('production'), promoted, reporter, new AbortController().signal);
    await provider.setReleaseStatus(ctx('production'), promoted.version, 'succeeded');

    const production = standIn.ecs.service('production', 'shop-web');
    const td = standIn.ecs.taskDefinitions.get(production?.taskDefinition ?? '')?.td;
    const app = td?.containerDefinitions?.[0];
    expect(app?.image).toBe(image);
    expect(app?.environment).toContainEqual({ name: 'APP_ENV', value: 'production' });
    expect(app?.secrets?.[0]?.valueFrom).toContain(':secret:shop/production/DATABASE_URL');
    expect(td?.cpu).toBe('1024');
    expect(production?.deployments?.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
    expect((await provider.status(ctx('production'))).current).toMatchObject({ version: 2, kind: 'promote' });
    expect(standIn.calls).toContain('ecr:GetDownloadUrlForLayer');
  });

  it('resolves a bare tag in the repository the service runs, and names repository and tag when it is missing', async () => {
    const resolved = await provider.resolveArtifact(ctx('production'), 'v1.4.0', reporter);
    expect(resolved).toEqual({
      artifact: { kind: 'images', images: { app: standIn.demo?.nextImage } },
      sha: DEMO_REVISIONS.next,
    });
    const error = await provider.resolveArtifact(ctx('production'), 'v0.0.1', reporter).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(
        'ECR repository shop (account 123456789012, eu-west-1) has no image tagged v0.0.1',
      ),
    });
  });

  it('turns on the circuit breaker of production, which the demo account left off', async () => {
    const before = await provider.status(ctx('production'));
    expect(ecsDetailsOf(before.details)?.deploymentSafety).toMatchObject({
      circuitBreaker: { enable: false },
      safe: false,
    });
    expect(before.warnings.join(' ')).toContain('circuit breaker is off');
    const served = standIn.ecs.service('production', 'shop-web')?.taskDefinition;

    const result = await provider.capabilities.deploySafety.makeSafe(ctx('production'));
    expect(result.after).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      safe: true,
    });
    const after = await provider.status(ctx('production'));
    expect(after.warnings.join(' ')).not.toContain('circuit breaker');
    expect(standIn.ecs.service('production', 'shop-web')?.taskDefinition).toBe(served);
  });

  it('runs a one-off command and reports its exit code and output', async () => {
    expect(
      await provider.capabilities.instances.run(ctx('staging'), ['sh', '-c', 'echo checking && exit 3']),
    ).toMatchObject({
      exitCode: 3,
      output: ['checking'],
    });
  });
});
