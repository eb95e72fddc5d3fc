// ECS Exec as an ExecControl: ExecuteCommand (interactive) for one container of a service task, then
// the Session Manager plugin under a pty, the way `aws ecs execute-command` runs it.
import { homedir } from 'node:os';
import { DescribeTasksCommand, ExecuteCommandCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import { AppError, isAppError } from '../../../../shared/errors.js';
import { spawnPty } from '../../../terminal/pty-session.js';
import type { ExecControl } from '../../capabilities.js';
import type { EnvironmentContext } from '../../provider.js';
import { listInstances } from '../instances.js';
import { ecsTarget, serviceLabel, taskIdOfArn, type Runtime } from '../runtime.js';
import { checkPlugin, ecsEndpoint, PLUGIN, pluginLaunch } from './session-manager-plugin.js';

/** How a shell is started when no command is given; every image has /bin/sh. */
const DEFAULT_SHELL = '/bin/sh';

const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export function execDisabled(ctx: EnvironmentContext): AppError {
  const target = ecsTarget(ctx);
  return new AppError(
    'CONFLICT',
    `ECS Exec is not enabled on ${serviceLabel(target)}, or its tasks started before it was. Enable exec (the "Enable exec" button, or \`slipway env:enable-exec ${ctx.pipeline.name} --env ${ctx.environment.name}\`): it turns on enableExecuteCommand and starts a new deployment; open the shell again once the new tasks are running.`,
    { details: { fix: 'enable-exec' } },
  );
}

function notConnected(cause: unknown): AppError {
  return new AppError(
    'PROVIDER_UNAVAILABLE',
    'ECS could not reach the task (TargetNotConnectedException). Check: the task role allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel; the task is new enough to have the ExecuteCommandAgent running; and tasks in private subnets reach Systems Manager (a NAT gateway or an ssmmessages VPC endpoint).',
    { cause },
  );
}

const causeName = (error: unknown): string =>
  (error as { cause?: { name?: unknown } }).cause?.name === undefined
    ? ''
    : String((error as { cause: { name: unknown } }).cause.name);

function pickContainer(task: Task): { name: string; runtimeId: string } | undefined {
  const running = (task.containers ?? []).filter((c) => c.name && c.runtimeId && c.lastStatus === 'RUNNING');
  const chosen = running[0];
  return chosen?.name && chosen.runtimeId ? { name: chosen.name, runtimeId: chosen.runtimeId } : undefined;
}

export function createEcsExec(rt: Runtime, env: NodeJS.ProcessEnv = process.env): Required<ExecControl> {
  return {
    async open(ctx, request) {
      const target = ecsTarget(ctx);
      const session = rt.session(target);
      // Before ExecuteCommand, as the AWS CLI does: no session is started in AWS that nothing could use.
      await checkPlugin();
      let instance = request.instance;
      if (!instance) {
        const instances = await listInstances(rt, ctx);
        instance = (instances.find((i) => i.state === 'healthy') ?? instances.find((i) => i.state === 'starting'))?.id;
        if (!instance)
          throw new AppError('NOT_FOUND', `${serviceLabel(target)} has no running task to open a shell in.`);
      }
      const described = await session.ecs(
        new DescribeTasksCommand({ cluster: target.cluster, tasks: [instance] }),
        `task ${instance}`,
      );
      const task = described.tasks?.[0];
      if (!task?.taskArn || task.group !== `service:${target.service}`) {
        throw new AppError('NOT_FOUND', `${serviceLabel(target)} has no task ${instance}. Refresh the instance list.`);
      }
      if (task.enableExecuteCommand !== true) throw execDisabled(ctx);
      const container = pickContainer(task);
      if (!container) throw new AppError('CONFLICT', `Task ${instance} has no running container to open a shell in.`);

      const command = request.command ? request.command.map(quote).join(' ') : DEFAULT_SHELL;
      let response;
      try {
        response = await session.ecs(
          new ExecuteCommandCommand({
            cluster: target.cluster,
            task: task.taskArn,
            container: container.name,
            interactive: true,
            command,
          }),
          `task ${instance}`,
        );
      } catch (error) {
        const name = causeName(error);
        if (name === 'TargetNotConnectedException') throw notConnected(error);
        if (isAppError(error) && /execute command was not enabled/i.test(String((error.cause as Error)?.message)))
          throw execDisabled(ctx);
        throw error;
      }
      if (!response.session?.tokenValue) {
        throw new AppError('PROVIDER_UNAVAILABLE', 'ECS started no session for the shell. Try again in a moment.');
      }
      const clusterName = (response.clusterArn ?? target.cluster).split('/').at(-1) ?? target.cluster;
      const taskId = taskIdOfArn(response.taskArn ?? task.taskArn);
      const runtimeId =
        response.containerName && response.containerName !== container.name
          ? ((task.containers ?? []).find((c) => c.name === response.containerName)?.runtimeId ?? container.runtimeId)
          : container.runtimeId;
      const launch = pluginLaunch({
        session: response.session,
        region: target.region,
        profile: target.profile,
        target: `ecs:${clusterName}_${taskId}_${runtimeId}`,
        endpoint: ecsEndpoint(target.region, env),
      });
      return spawnPty({
        file: PLUGIN,
        args: launch.args,
        cwd: homedir(),
        env: { ...env, ...launch.env },
        cols: request.cols,
        rows: request.rows,
        instance: taskId,
      });
    },

    async enable(ctx) {
      const target = ecsTarget(ctx);
      const out = await rt.session(target).ecs(
        new UpdateServiceCommand({
          cluster: target.cluster,
          service: target.service,
          enableExecuteCommand: true,
          // Running tasks keep the setting they started with; new ones get the agent.
          forceNewDeployment: true,
        }),
        serviceLabel(target),
      );
      if (out.service) rt.services.put(target, out.service);
      else rt.services.forget(target);
    },
  };
}
