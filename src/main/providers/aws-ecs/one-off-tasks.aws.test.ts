// The built `bin/slipway` against the AWS emulator: the release phase and `slipway run` as RunTask in
// the service's own network, `ps` and `ps:kill` on the service's tasks, and `doctor --fix`.
// The emulator's tasks always exit 0 and it places no tasks for a service; exit codes and log tails are
// covered against the in-process fake in release-phase.test.ts, and the service's tasks are started
// here the way ECS's scheduler starts them (group `service:NAME`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResultSchema } from '../../../shared/contract/index.js';
import { auditEventSchema, deploymentSchema, instanceSchema } from '../../../shared/model.js';
import { createEmulatorApp, REGION, type EmulatorApp } from './testing/emulator-app.js';
import { slipway, type Ran } from './testing/slipway-cli.js';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';
const ecs = new ECSClient({ region: REGION, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
let app: EmulatorApp;
let home: string;

const cmd = async (...args: string[]): Promise<Ran> => {
  const ran = await slipway(home, endpoint, args);
  if (ran.code !== 0) throw new Error(`slipway ${args.join(' ')} exited ${ran.code}: ${ran.stderr}`);
  return ran;
};

async function service(name: 'web-staging' | 'web-production') {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: app.cluster, services: [name] }));
  return out.services?.[0] ?? {};
}

/** The one-off tasks Slipway started in the app's cluster, with what they ran. */
async function oneOffTasks(): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: app.cluster, startedBy: 'slipway' }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: app.cluster, tasks: arns }))).tasks ?? [];
}

/** The newest activity event of `action` on one environment, as `slipway activity --json` shows it. */
async function lastEvent(environment: string, action: string) {
  const feed = JSON.parse((await cmd('activity', app.pipeline, '--env', environment, '--json')).stdout) as {
    events: unknown[];
  };
  return auditEventSchema
    .array()
    .parse(feed.events)
    .find((e) => e.action === action);
}

beforeAll(async () => {
  app = await createEmulatorApp(endpoint);
  home = await mkdtemp(join(tmpdir(), 'slipway-ecs-tasks-'));
  await cmd(...app.createArgs, '--release-command', 'bin/migrate --all');
});

afterAll(async () => {
  ecs.destroy();
  await rm(home, { recursive: true, force: true });
});

describe('one-off tasks on ECS, against the AWS emulator', () => {
  it('runs the release command on the new revision before the rollout, in the service’s network', async () => {
    const ran = await cmd('deploy', app.pipeline, '--env', 'staging', '--image', `${app.imageName}:v1.1.0`, '--json');
    expect(deploymentSchema.parse(JSON.parse(ran.stdout))).toMatchObject({ status: 'succeeded', releaseVersion: 2 });
    expect(ran.stderr.indexOf('✓ Release phase')).toBeGreaterThan(-1);
    expect(ran.stderr.indexOf('✓ Release phase')).toBeLessThan(ran.stderr.indexOf('→ Roll out'));

    const staging = await service('web-staging');
    const [task, ...more] = await oneOffTasks();
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      group: 'slipway:release-phase',
      taskDefinitionArn: staging.taskDefinition,
      launchType: 'FARGATE',
      overrides: { containerOverrides: [{ name: 'web', command: ['bin/migrate', '--all'] }] },
    });
    expect(staging.taskDefinition).toMatch(/:2$/);
    const subnet = task?.attachments?.[0]?.details?.find((d) => d.name === 'subnetId')?.value;
    expect(staging.networkConfiguration?.awsvpcConfiguration?.subnets).toContain(subnet);
  });

  it('`slipway run` runs the command on the serving revision and exits with its code', async () => {
    const before = new Set((await oneOffTasks()).map((t) => t.taskArn));
    const ran = await slipway(home, endpoint, [
      'run',
      app.pipeline,
      '--env',
      'production',
      '--json',
      '--',
      'sh',
      '-c',
      'echo $APP_ENV',
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const result = runResultSchema.parse(JSON.parse(ran.stdout));
    expect(result.exitCode).toBe(0);
    const task = (await oneOffTasks()).find((t) => !before.has(t.taskArn));
    expect(task).toMatchObject({
      group: 'slipway:run',
      lastStatus: 'STOPPED',
      taskDefinitionArn: (await service('web-production')).taskDefinition,
      overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', 'echo $APP_ENV'] }] },
    });
    // The output is the tail of the task's awslogs stream (the emulator's tasks write none).
    const id = task?.taskArn?.split('/').pop() ?? '';
    expect(result.output.join('\n')).toContain(`/ecs/web-${app.suffix}/production/web/${id}`);
    expect(await lastEvent('production', 'task.run')).toMatchObject({
      result: 'succeeded',
      summary: 'Ran `sh -c echo $APP_ENV` in production: exit code 0',
      actor: { cloud: { arn: 'arn:aws:sts::123456789012:user/moto' } },
    });
  });

  it('`slipway ps` lists the service’s tasks only, and `ps:kill` stops one with the reason given', async () => {
    const staging = await service('web-staging');
    const started = await ecs.send(
      new RunTaskCommand({
        cluster: app.cluster,
        taskDefinition: staging.taskDefinition,
        count: 2,
        launchType: 'FARGATE',
        group: 'service:web-staging',
        startedBy: staging.deployments?.[0]?.id,
        networkConfiguration: staging.networkConfiguration,
      }),
    );
    const ids = (started.tasks ?? []).map((t) => t.taskArn?.split('/').pop() ?? '');
    expect(ids).toHaveLength(2);

    const listed = instanceSchema
      .array()
      .parse(JSON.parse((await cmd('ps', app.pipeline, '--env', 'staging', '--json')).stdout));
    // The release-phase and `run` tasks in the same cluster are not instances of the service.
    expect(listed.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(listed.every((i) => i.releaseVersion === 2 && i.address !== undefined)).toBe(true);

    const [victim, other] = ids as [string, string];
    const killed = await cmd('ps:kill', app.pipeline, '--env', 'staging', victim, '--reason', 'stuck on a lock');
    expect(killed.stdout).toBe(`Stopped ${victim} on ${app.pipeline}/staging; a replacement is starting.\n`);
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: app.cluster, tasks: ids }))).tasks ?? [];
    expect(tasks.find((t) => t.taskArn?.endsWith(victim))).toMatchObject({
      desiredStatus: 'STOPPED',
      stoppedReason: 'Stopped from Slipway: stuck on a lock',
    });
    expect(tasks.find((t) => t.taskArn?.endsWith(other))?.desiredStatus).toBe('RUNNING');
    expect(await lastEvent('staging', 'instance.stop')).toMatchObject({
      result: 'succeeded',
      summary: `Stopped instance ${victim} in staging (stuck on a lock)`,
      actor: { cloud: { arn: 'arn:aws:sts::123456789012:user/moto' } },
    });

    // A task of the same cluster that is not the service's is refused and left alone.
    const releaseTask = (await oneOffTasks()).find((t) => t.group === 'slipway:release-phase');
    const refused = await slipway(home, endpoint, [
      'ps:kill',
      app.pipeline,
      '--env',
      'staging',
      releaseTask?.taskArn?.split('/').pop() ?? '',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('has no instance');
    expect(refused.stderr).toContain('Refresh the instance list');
    // A refusal changed nothing: the feed still ends with the stop above.
    expect((await lastEvent('staging', 'instance.stop'))?.summary).toContain(victim);
    const after = (await oneOffTasks()).find((t) => t.taskArn === releaseTask?.taskArn);
    expect(after?.stoppedReason ?? '').not.toContain('Slipway');
  });

  it('`doctor --fix` turns on the circuit breaker for the environment asked, audited with the AWS caller', async () => {
    const report = await cmd('doctor', app.pipeline);
    // The emulator keeps no circuit breaker given at CreateService, so both services start without one.
    expect(report.stdout).toMatch(/^production\s+aws-ecs\s+100%\s+200%\s+off\s+unsafe$/m);
    expect(report.stdout).toContain(`Fix: slipway doctor ${app.pipeline} --fix\n`);

    const before = await service('web-production');
    const fixed = await cmd('doctor', app.pipeline, '--env', 'production', '--fix');
    expect(fixed.stdout).toContain(
      'Made deploys to production safe: minimum healthy 100%, maximum 200%, circuit breaker on, rolls back.',
    );
    expect(fixed.stdout).toMatch(/^production\s+aws-ecs\s+100%\s+200%\s+on, rolls back\s+safe$/m);

    const after = await service('web-production');
    expect(after.deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    // Only the settings changed: same revision, no new deployment.
    expect(after.taskDefinition).toBe(before.taskDefinition);
    expect(after.deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id));
    expect((await service('web-staging')).deploymentConfiguration?.deploymentCircuitBreaker).toBeUndefined();

    const feed = JSON.parse((await cmd('activity', app.pipeline, '--env', 'production', '--json')).stdout) as {
      events: unknown[];
    };
    const event = auditEventSchema
      .array()
      .parse(feed.events)
      .find((e) => e.action === 'environment.make-deploys-safe');
    expect(event).toMatchObject({
      result: 'succeeded',
      summary: 'Made deploys to production safe: circuit breaker off → on with rollback',
      actor: { cloud: { account: '123456789012', arn: 'arn:aws:sts::123456789012:user/moto' } },
    });

    // Nothing left to fix: a second --fix changes nothing.
    const again = JSON.parse((await cmd('doctor', app.pipeline, '--env', 'production', '--fix', '--json')).stdout) as {
      fixed: string[];
    };
    expect(again.fixed).toEqual([]);
  });
});
