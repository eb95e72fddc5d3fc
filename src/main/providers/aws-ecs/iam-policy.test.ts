// Runs every use case against the mocked cloud, collects each command the clients were asked to send,
// and checks docs/iam-policy.json allows the IAM actions they need.
import { readFileSync } from 'node:fs';
import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClustersCommand, UpdateClusterSettingsCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { iamActionsFor, type AwsService } from './iam-actions.js';
import { actor, DIGEST_B, deploySpec, ecsContext, IMAGE_REPO, recorder } from './testing/fixtures.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

interface Statement {
  Effect: string;
  Action: string | string[];
}

function allowedActions(): Set<string> {
  const policy = JSON.parse(readFileSync(new URL('../../../../docs/iam-policy.json', import.meta.url), 'utf8')) as {
    Statement: Statement[];
  };
  return new Set(
    policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );
}

describe('docs/iam-policy.json', () => {
  const aws = withFakeCloud({ services: ['web-staging'] });
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('allows every action the provider calls in its use cases', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageDigest: DIGEST_B },
          imageManifest: JSON.stringify({ annotations: { 'org.opencontainers.image.revision': 'a'.repeat(40) } }),
        },
      ],
    });
    const sts = mockClient(STSClient);
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ada', UserId: 'AIDA' });
    cleanups.push(
      () => ecr.restore(),
      () => sts.restore(),
    );

    const ctx = ecsContext({ releaseCommand: 'bin/migrate' });
    const signal = new AbortController().signal;
    await aws.provider.capabilities.account.whoami({ region: 'eu-west-1' });
    await aws.provider.capabilities.account.discover({ region: 'eu-west-1' });
    const { artifact, sha } = await aws.provider.resolveArtifact(ctx, `${IMAGE_REPO}:v2`, recorder());
    const release = await aws.provider.createRelease(ctx, { ...deploySpec, artifact, sha });
    aws.cloud.runBehaviour = { exitCode: 1, output: ['boom'] };
    await aws.provider.runReleasePhase(ctx, release, recorder(), signal);
    await aws.provider.rollout(ctx, release, recorder(), signal);
    await aws.provider.setReleaseStatus(ctx, release.version, 'failed', 'x');
    await aws.provider.setReleaseStatus(ctx, release.version, 'succeeded');
    await aws.provider.markNoRollback(ctx, release.version, {
      reason: 'drops a column',
      actor,
      at: new Date().toISOString(),
    });
    aws.cloud.exposeService('apps', 'web-staging', 'web-staging-1234567890.eu-west-1.elb.amazonaws.com');
    expect((await aws.provider.status(ctx)).url).toBe('http://web-staging-1234567890.eu-west-1.elb.amazonaws.com');
    const service = aws.cloud.service('apps', 'web-staging');
    if (service) service.deploymentConfiguration = { minimumHealthyPercent: 50, maximumPercent: 200 };
    expect((await aws.provider.capabilities.deploySafety.makeSafe(ctx)).changed).toBe(true);
    const [instance] = await aws.provider.capabilities.instances.list(ctx);
    await aws.provider.capabilities.instances.kill(ctx, instance?.id ?? '', 'test');
    await aws.provider.capabilities.instances.run(ctx, ['true']);
    aws.cloud.rolloutPolls = 100;
    const next = await aws.provider.createRelease(ctx, { ...deploySpec, artifact, description: 'next' });
    await aws.provider.rollout(ctx, next, recorder(), AbortSignal.abort()).catch(() => undefined);
    await aws.provider.recover(ctx);

    const sent: [AwsService, string][] = [
      ...aws.cloud.ecs.calls().map((c) => ['ecs', c.args[0].constructor.name] as [AwsService, string]),
      ...aws.cloud.cwl.calls().map((c) => ['logs', c.args[0].constructor.name] as [AwsService, string]),
      ...ecr.calls().map((c) => ['ecr', c.args[0].constructor.name] as [AwsService, string]),
      ...sts.calls().map((c) => ['sts', c.args[0].constructor.name] as [AwsService, string]),
      ...aws.cloud.elbv2
        .calls()
        .map((c) => ['elasticloadbalancing', c.args[0].constructor.name] as [AwsService, string]),
    ];
    const needed = new Set(sent.flatMap(([service, name]) => iamActionsFor(service, name)));
    // The use cases above really exercise the provider: each family of calls shows up.
    for (const action of [
      'ecs:RegisterTaskDefinition',
      'ecs:UpdateService',
      'ecs:RunTask',
      'ecs:StopServiceDeployment',
      'logs:GetLogEvents',
      'ecr:BatchGetImage',
      'sts:GetCallerIdentity',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeLoadBalancers',
    ]) {
      expect(needed).toContain(action);
    }
    const allowed = allowedActions();
    expect([...needed].filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('allows every action the logs, metrics and alarms capabilities call', async () => {
    const ctx = ecsContext();
    const cloudwatch = mockClient(CloudWatchClient);
    cleanups.push(() => cloudwatch.restore());
    const made = new Map<string, object>();
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: [...made.values()].filter(
        (alarm) => !input.AlarmNames || input.AlarmNames.includes((alarm as { AlarmName: string }).AlarmName),
      ),
    }));
    cloudwatch
      .on(PutMetricAlarmCommand)
      .callsFake((input: { AlarmName: string }) => void made.set(input.AlarmName, input));
    cloudwatch.on(DeleteAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      for (const name of input.AlarmNames) made.delete(name);
    });
    aws.cloud.ecs
      .on(DescribeClustersCommand)
      .resolves({ clusters: [{ clusterName: 'apps', settings: [{ name: 'containerInsights', value: 'disabled' }] }] });
    aws.cloud.ecs.on(UpdateClusterSettingsCommand).resolves({ cluster: { clusterName: 'apps' } });
    aws.cloud.cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    aws.cloud.cwl.on(StartLiveTailCommand).resolves({
      responseStream: (async function* () {
        yield { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [] } };
      })(),
    });
    aws.cloud.exposeService('apps', 'web-staging', 'web-staging-1234567890.eu-west-1.elb.amazonaws.com');
    const { logs, metrics, alarms } = aws.provider.capabilities;

    const tail = new AbortController();
    setTimeout(() => tail.abort(), 300);
    const chunks = [];
    for await (const chunk of logs.tail(ctx, { since: new Date(Date.now() - 60_000).toISOString() }, tail.signal)) {
      chunks.push(chunk);
    }
    await logs.search(ctx, {
      since: new Date(Date.now() - 60_000).toISOString(),
      until: new Date().toISOString(),
      limit: 10,
    });
    await metrics.series(ctx, {
      since: new Date(Date.now() - 3_600_000).toISOString(),
      until: new Date().toISOString(),
      periodSeconds: 60,
    });
    await metrics.detailed.enable(ctx);
    const spec = { threshold: 80, periodSeconds: 60, evaluationPeriods: 1 };
    await alarms.create(ctx, { ...spec, name: 'shop-staging-memory', metric: 'memory' });
    await alarms.create(ctx, { ...spec, name: 'shop-staging-5xx', metric: 'target5xx' });
    expect((await alarms.list(ctx)).map((alarm) => alarm.name)).toEqual(['shop-staging-5xx', 'shop-staging-memory']);
    await alarms.deployGuard.guard(ctx);
    await alarms.delete(ctx, 'shop-staging-memory');

    const sent: [AwsService, string][] = [
      ...aws.cloud.ecs.calls().map((c) => ['ecs', c.args[0].constructor.name] as [AwsService, string]),
      ...aws.cloud.cwl.calls().map((c) => ['logs', c.args[0].constructor.name] as [AwsService, string]),
      ...cloudwatch.calls().map((c) => ['cloudwatch', c.args[0].constructor.name] as [AwsService, string]),
      ...aws.cloud.elbv2
        .calls()
        .map((c) => ['elasticloadbalancing', c.args[0].constructor.name] as [AwsService, string]),
    ];
    const needed = new Set(sent.flatMap(([service, name]) => iamActionsFor(service, name)));
    for (const action of [
      'logs:StartLiveTail',
      'logs:FilterLogEvents',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:DeleteAlarms',
      'ecs:DescribeClusters',
      'ecs:UpdateClusterSettings',
      'ecs:UpdateService',
      'elasticloadbalancing:DescribeTargetGroups',
    ]) {
      expect(needed).toContain(action);
    }
    const allowed = allowedActions();
    expect([...needed].filter((action) => !allowed.has(action))).toEqual([]);
  });
});
