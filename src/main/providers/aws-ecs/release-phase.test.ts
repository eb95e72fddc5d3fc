import { RunTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('aws-ecs release phase and one-off tasks', () => {
  let cloud: FakeEcs;
  let provider: AwsEcsProvider;
  const ctx = ecsContext({ releaseCommand: 'bin/rails db:migrate' });
  const spec = {
    kind: 'deploy' as const,
    artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
    config: {},
    actor,
    description: 'Deploy',
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

  it('runs the new revision with the release command in the service network, and leaves the service alone', async () => {
    const before = cloud.service('apps', 'web-staging')?.taskDefinition;
    const release = await provider.createRelease(ctx, spec);
    const result = await provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result).toEqual({ exitCode: 0, output: ['migrations: up to date'] });
    const run = cloud.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input;
    expect(run).toMatchObject({
      cluster: 'apps',
      taskDefinition: expect.stringMatching(/web-staging:2$/),
      launchType: 'FARGATE',
      networkConfiguration: cloud.service('apps', 'web-staging')?.networkConfiguration,
      overrides: { containerOverrides: [{ name: 'web', command: ['bin/rails', 'db:migrate'] }] },
    });
    expect(cloud.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(cloud.service('apps', 'web-staging')?.taskDefinition).toBe(before);
  });

  it('returns exit code 1 with the tail of the task log stream', async () => {
    cloud.runBehaviour = { exitCode: 1, output: ['== Migrating', 'PG::UndefinedColumn: column "x" does not exist'] };
    const release = await provider.createRelease(ctx, spec);
    const result = await provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result?.exitCode).toBe(1);
    expect(result?.output).toEqual(['== Migrating', 'PG::UndefinedColumn: column "x" does not exist']);
    const logs = cloud.cwl.commandCalls(GetLogEventsCommand)[0]?.args[0].input;
    expect(logs).toMatchObject({
      logGroupName: '/ecs/web-staging',
      logStreamName: expect.stringMatching(/^ecs\/web\/[0-9a-f]+$/),
    });
  });

  it('reports a task that never started with its stopped reason', async () => {
    cloud.runBehaviour = { stoppedReason: 'CannotPullContainerError: pull access denied for web' };
    const release = await provider.createRelease(ctx, spec);
    const result = await provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result?.exitCode).toBe(-1);
    expect(result?.output[0]).toContain('CannotPullContainerError');
  });

  it('runs shell syntax under sh -c and skips when there is no release command', async () => {
    const release = await provider.createRelease(ctx, spec);
    const shellCtx = ecsContext({ releaseCommand: 'bin/migrate && bin/seed > /dev/null' });
    await provider.runReleasePhase(shellCtx, release, recorder(), new AbortController().signal);
    expect(
      cloud.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.overrides?.containerOverrides?.[0]?.command,
    ).toEqual(['sh', '-c', 'bin/migrate && bin/seed > /dev/null']);
    expect(
      await provider.runReleasePhase(ecsContext(), release, recorder(), new AbortController().signal),
    ).toBeUndefined();
  });

  it('runs a one-off command on the serving revision and kills an instance with a reason', async () => {
    const result = await provider.run(ctx, ['bin/rails', 'runner', 'puts 1']);
    expect(result.exitCode).toBe(0);
    const instances = await provider.listInstances(ctx);
    expect(instances).toHaveLength(2);
    expect(instances[0]).toMatchObject({ state: 'healthy', address: expect.stringMatching(/^10\.0\.0\./) });
    await provider.killInstance(ctx, instances[0]?.id ?? '', 'stuck worker');
    const stopped = [...cloud.tasks.values()].find((t) => t.taskArn?.endsWith(instances[0]?.id ?? '-'));
    expect(stopped?.stoppedReason).toBe('Stopped from Slipway: stuck worker');
    const other = [...cloud.tasks.values()].find((t) => t.startedBy === 'slipway');
    await expect(provider.killInstance(ctx, other?.taskArn?.split('/').pop() ?? '', 'x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
