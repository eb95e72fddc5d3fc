import { DescribeTasksCommand, RunTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { deploySpec, ecsContext, recorder } from './testing/fixtures.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

// Against the in-process fake ECS, for what the AWS emulator cannot show: its tasks always exit 0, write
// no logs and are never MISSING (one-off-tasks.aws.test.ts runs the same flows on the emulator).
describe('aws-ecs release phase and one-off tasks (fake ECS: exit codes, log tails, MISSING answers)', () => {
  const aws = withFakeCloud({ services: ['web-staging'] });
  const ctx = ecsContext({ releaseCommand: 'bin/rails db:migrate' });

  it('runs the new revision with the release command in the service network, and leaves the service alone', async () => {
    const before = aws.cloud.service('apps', 'web-staging')?.taskDefinition;
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const result = await aws.provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result).toEqual({ exitCode: 0, output: ['migrations: up to date'] });
    const run = aws.cloud.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input;
    expect(run).toMatchObject({
      cluster: 'apps',
      taskDefinition: expect.stringMatching(/web-staging:2$/),
      launchType: 'FARGATE',
      networkConfiguration: aws.cloud.service('apps', 'web-staging')?.networkConfiguration,
      overrides: { containerOverrides: [{ name: 'web', command: ['bin/rails', 'db:migrate'] }] },
    });
    expect(aws.cloud.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(aws.cloud.service('apps', 'web-staging')?.taskDefinition).toBe(before);
  });

  it('returns exit code 1 with the tail of the task log stream', async () => {
    aws.cloud.runBehaviour = {
      exitCode: 1,
      output: ['== Migrating', 'PG::UndefinedColumn: column "x" does not exist'],
    };
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const result = await aws.provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result?.exitCode).toBe(1);
    expect(result?.output).toEqual(['== Migrating', 'PG::UndefinedColumn: column "x" does not exist']);
    const logs = aws.cloud.cwl.commandCalls(GetLogEventsCommand)[0]?.args[0].input;
    expect(logs).toMatchObject({
      logGroupName: '/ecs/web-staging',
      logStreamName: expect.stringMatching(/^ecs\/web\/[0-9a-f]+$/),
    });
  });

  it('reports a task that never started with its stopped reason', async () => {
    aws.cloud.runBehaviour = { stoppedReason: 'CannotPullContainerError: pull access denied for web' };
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const result = await aws.provider.runReleasePhase(ctx, release, recorder(), new AbortController().signal);
    expect(result?.exitCode).toBe(-1);
    expect(result?.output[0]).toContain('CannotPullContainerError');
  });

  it('waits out ECS answering MISSING for the task it just started, then reads its exit code', async () => {
    aws.cloud.missingDescribes = 2;
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const result = await aws.provider.runReleasePhase(ctx, release, aws.reporter, new AbortController().signal);
    expect(result).toEqual({ exitCode: 0, output: ['migrations: up to date'] });
    expect(aws.cloud.ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    // Two MISSING answers, then RUNNING, then STOPPED: the same task all along.
    const described = aws.cloud.ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks);
    expect(described).toHaveLength(4);
    expect(new Set(described.flat()).size).toBe(1);
    const states = aws.reporter.lines.flatMap((l) => /^Task \w+ is (\w+)$/.exec(l)?.[1] ?? []);
    expect(states).toEqual(['running', 'stopped']);
  });

  it('gives up after a few MISSING answers when ECS never finds the task', async () => {
    aws.cloud.missingDescribes = 1000;
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const error = await aws.provider
      .runReleasePhase(ctx, release, aws.reporter, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/lost track of task/) });
    const describes = aws.cloud.ecs.commandCalls(DescribeTasksCommand).length;
    expect(describes).toBeGreaterThan(2);
    expect(describes).toBeLessThan(10);
  });

  it('runs shell syntax under sh -c and skips when there is no release command', async () => {
    const release = await aws.provider.createRelease(ctx, deploySpec);
    const shellCtx = ecsContext({ releaseCommand: 'bin/migrate && bin/seed > /dev/null' });
    await aws.provider.runReleasePhase(shellCtx, release, recorder(), new AbortController().signal);
    expect(
      aws.cloud.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.overrides?.containerOverrides?.[0]?.command,
    ).toEqual(['sh', '-c', 'bin/migrate && bin/seed > /dev/null']);
    expect(
      await aws.provider.runReleasePhase(ecsContext(), release, recorder(), new AbortController().signal),
    ).toBeUndefined();
  });

  it('runs a one-off command on the serving revision and kills an instance with a reason', async () => {
    const result = await aws.provider.capabilities.instances.run(ctx, ['bin/rails', 'runner', 'puts 1']);
    expect(result.exitCode).toBe(0);
    const instances = await aws.provider.capabilities.instances.list(ctx);
    expect(instances).toHaveLength(2);
    expect(instances[0]).toMatchObject({ state: 'healthy', address: expect.stringMatching(/^10\.0\.0\./) });
    await aws.provider.capabilities.instances.kill(ctx, instances[0]?.id ?? '', 'stuck worker');
    const stopped = [...aws.cloud.tasks.values()].find((t) => t.taskArn?.endsWith(instances[0]?.id ?? '-'));
    expect(stopped?.stoppedReason).toBe('Stopped from Slipway: stuck worker');
    const other = [...aws.cloud.tasks.values()].find((t) => t.startedBy === 'slipway');
    await expect(
      aws.provider.capabilities.instances.kill(ctx, other?.taskArn?.split('/').pop() ?? '', 'x'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
