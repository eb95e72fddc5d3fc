// ECS Exec through a stand-in `session-manager-plugin` on PATH that records its argv and environment:
// the seven argv entries of the AWS CLI, the ecs:{cluster}_{taskId}_{runtimeId} target, and the
// session token only in the environment, never on the command line. ECS is mocked: the emulator has
// no ExecuteCommand, and the task's container runtime ids come with it.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  TargetNotConnectedException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../shared/errors.js';
import { isRunning } from '../../../terminal/process-tree.js';
import type { AwsClients } from '../clients.js';
import { iamActionsFor } from '../iam-actions.js';
import { createRuntime } from '../runtime.js';
import { ecsContext } from '../testing/fixtures.js';
import { createEcsExec } from './ecs-exec.js';

const TOKEN = 'TOKEN-must-never-be-in-argv-7f3a';
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const ecs = mockClient(ECSClient);
let dir: string;
let record: string;
const originalPath = process.env.PATH;

const task = (overrides: object = {}) => ({
  taskArn: TASK_ARN,
  group: 'service:web-staging',
  enableExecuteCommand: true,
  containers: [
    { name: 'log-router', runtimeId: '0f1e-111', lastStatus: 'STOPPED' },
    { name: 'web', runtimeId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0-2531612879', lastStatus: 'RUNNING' },
  ],
  ...overrides,
});

async function installPlugin(version: string): Promise<void> {
  const script = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi
for a in "$@"; do printf '%s\\n' "$a"; done > "${record}/argv"
printf '%s' "$AWS_SSM_START_SESSION_RESPONSE" > "${record}/env"
tr '\\0' '\\n' < /proc/$$/cmdline > "${record}/cmdline"
echo "plugin $$ ready"
sleep 300 &
echo "child $!"
wait
`;
  await writeFile(join(dir, 'session-manager-plugin'), script);
  await chmod(join(dir, 'session-manager-plugin'), 0o755);
}

function provider() {
  const rt = createRuntime({
    clientFactory: () => ({ ecs: new ECSClient({ region: 'eu-west-1' }) }) as unknown as AwsClients,
  });
  return createEcsExec(rt, { ...process.env, AWS_ENDPOINT_URL: '' });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-ecs-exec-'));
  record = join(dir, 'record');
  await writeFile(join(dir, '.keep'), '');
  await import('node:fs/promises').then((fs) => fs.mkdir(record));
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  ecs.reset();
  process.env.PATH = `${dir}:${originalPath}`;
  ecs.on(DescribeTasksCommand).resolves({ tasks: [task()] });
  ecs.on(ExecuteCommandCommand).resolves({
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/apps',
    taskArn: TASK_ARN,
    containerName: 'web',
    interactive: true,
    session: {
      sessionId: 'ecs-execute-command-0a1b2c',
      streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x',
      tokenValue: TOKEN,
    },
  });
});
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('ECS Exec (mock: emulator has no ExecuteCommand)', () => {
  it('runs the plugin with the AWS CLI arguments, the target, and the token only in its environment', async () => {
    await installPlugin('1.2.650.0');
    const session = await provider().open(ecsContext(), {
      instance: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      cols: 80,
      rows: 24,
    });
    let output = '';
    session.onData((data) => (output += data));
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/child \d+/);

    const argv = (await readFile(join(record, 'argv'), 'utf8')).trimEnd().split('\n');
    // Seven entries with the program itself, as the AWS CLI passes them.
    expect(argv).toEqual([
      'AWS_SSM_START_SESSION_RESPONSE',
      'eu-west-1',
      'StartSession',
      '',
      JSON.stringify({
        Target: 'ecs:apps_0f1e2d3c4b5a69788796a5b4c3d2e1f0_0f1e2d3c4b5a69788796a5b4c3d2e1f0-2531612879',
      }),
      'https://ecs.eu-west-1.amazonaws.com',
    ]);
    const cmdline = await readFile(join(record, 'cmdline'), 'utf8');
    expect(cmdline.trimEnd().split('\n')).toHaveLength(2 + argv.length); // sh, the script, six arguments
    expect(cmdline).not.toContain(TOKEN);
    expect(JSON.parse(await readFile(join(record, 'env'), 'utf8'))).toEqual({
      SessionId: 'ecs-execute-command-0a1b2c',
      StreamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x',
      TokenValue: TOKEN,
    });
    const call = ecs.commandCalls(ExecuteCommandCommand)[0]?.args[0].input;
    expect(call).toEqual({ cluster: 'apps', task: TASK_ARN, container: 'web', interactive: true, command: '/bin/sh' });

    // Closing the session ends the plugin and what it started.
    const pluginPid = Number(/plugin (\d+) ready/.exec(output)?.[1]);
    const childPid = Number(/child (\d+)/.exec(output)?.[1]);
    await session.dispose();
    await expect.poll(() => isRunning(pluginPid) || isRunning(childPid)).toBe(false);
  });

  it('passes a given command to ExecuteCommand, quoted for the shell', async () => {
    await installPlugin('1.2.650.0');
    const session = await provider().open(ecsContext(), {
      instance: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      command: ['rails', 'runner', "puts 'hi'"],
      cols: 80,
      rows: 24,
    });
    await session.dispose();
    expect(ecs.commandCalls(ExecuteCommandCommand)[0]?.args[0].input.command).toBe(`rails runner 'puts '\\''hi'\\'''`);
  });

  it('says how to install the plugin when it is missing, before any session is started', async () => {
    process.env.PATH = '/nonexistent';
    const error = await provider()
      .open(ecsContext(), { cols: 80, rows: 24 })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('NOT_FOUND');
    expect(String((error as Error).message)).toMatch(/Session Manager plugin is not installed.*Install it/);
    expect(ecs.commandCalls(ExecuteCommandCommand)).toHaveLength(0);
  });

  it('refuses a plugin too old to read the token from its environment', async () => {
    await installPlugin('1.2.497.0');
    await expect(provider().open(ecsContext(), { instance: 'x', cols: 80, rows: 24 })).rejects.toThrow(/too old/);
    expect(ecs.commandCalls(ExecuteCommandCommand)).toHaveLength(0);
  });

  it('offers "Enable exec" when the task was started without it', async () => {
    await installPlugin('1.2.650.0');
    ecs.on(DescribeTasksCommand).resolves({ tasks: [task({ enableExecuteCommand: false })] });
    const error = await provider()
      .open(ecsContext(), { instance: 'x', cols: 80, rows: 24 })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('CONFLICT');
    expect(isAppError(error) && error.details).toEqual({ fix: 'enable-exec' });
    expect((error as Error).message).toContain('slipway env:enable-exec shop --env staging');
  });

  it('explains TargetNotConnectedException: task role, agent, VPC endpoints', async () => {
    await installPlugin('1.2.650.0');
    ecs.on(ExecuteCommandCommand).rejects(
      new TargetNotConnectedException({
        message: 'The execute command failed due to an internal error.',
        $metadata: {},
      }),
    );
    const error = await provider()
      .open(ecsContext(), { instance: 'x', cols: 80, rows: 24 })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_UNAVAILABLE');
    expect((error as Error).message).toMatch(/ssmmessages:CreateControlChannel.*ExecuteCommandAgent.*VPC endpoint/);
  });

  it('enables exec with a new deployment, and the IAM policy allows every call exec makes', async () => {
    await installPlugin('1.2.650.0');
    ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: 'web-staging', enableExecuteCommand: true } });
    const exec = provider();
    await exec.enable(ecsContext());
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'apps',
      service: 'web-staging',
      enableExecuteCommand: true,
      forceNewDeployment: true,
    });
    await (await exec.open(ecsContext(), { instance: 'x', cols: 80, rows: 24 })).dispose();

    const policy = JSON.parse(
      readFileSync(new URL('../../../../../docs/iam-policy.json', import.meta.url), 'utf8'),
    ) as {
      Statement: { Effect: string; Action: string | string[] }[];
    };
    const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()));
    const needed = new Set(ecs.calls().flatMap((c) => iamActionsFor('ecs', c.args[0].constructor.name)));
    expect([...needed].sort()).toEqual(['ecs:DescribeTasks', 'ecs:ExecuteCommand', 'ecs:UpdateService']);
    expect([...needed].filter((action) => !allowed.has(action))).toEqual([]);
  });
});
