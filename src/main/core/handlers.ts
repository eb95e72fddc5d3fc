// The router's tables: each contract name bound to its use case.
import type { SystemInfo } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { ChannelHandlers, ProcedureHandlers, StreamHandlers } from '../router/router.js';
import type { TerminalService } from '../terminal/terminal-service.js';
import { getConfig, getConfigSnapshot, setConfig, unsetConfig } from './config-actions.js';
import { awsDiscover, awsWhoami, killInstance, listInstances, makeDeploysSafe, runOneOff } from './instance-actions.js';
import { abortDeployment } from './abort-deployment.js';
import { configureEnvironment, getEnvironment } from './environment-settings.js';
import { createPipeline } from './pipeline-actions.js';
import type { CoreDeps } from './core-deps.js';
import { listPipelines, listReleases, pipelineCommits, pipelineStatus, promotePreview } from './queries.js';
import { deploy, markNoRollback, promote, rollback } from './release-actions.js';
import { watchAlarms } from './alarm-watch.js';
import { createAlarm, deleteAlarm, getMetrics, listAlarms, searchLogs, tailLogs } from './observability-actions.js';
import { enableDetailedMetrics, guardDeploys } from './observability-offers.js';

export function createProcedureHandlers(
  deps: CoreDeps,
  info: () => Promise<SystemInfo>,
  setActivityStore: ProcedureHandlers['activity.setStore'],
  terminal: TerminalService,
  team: Pick<
    ProcedureHandlers,
    | 'team.status'
    | 'team.join'
    | 'team.leave'
    | 'webhooks.list'
    | 'webhooks.add'
    | 'webhooks.remove'
    | 'webhooks.deliveries'
    | 'webhooks.redeliver'
  >,
): ProcedureHandlers {
  return {
    ...team,
    'system.info': () => info(),
    'pipelines.list': () => listPipelines(deps),
    'pipelines.get': (args) => deps.workspace.get(args.pipeline),
    'pipelines.status': (args) => pipelineStatus(deps, args),
    'pipelines.create': (pipeline) => createPipeline(deps, pipeline),
    'pipelines.commits': (args) => pipelineCommits(deps, args),
    'releases.list': (args) => listReleases(deps, args),
    'releases.markNoRollback': (args) => markNoRollback(deps, args),
    deploy: (args) => deploy(deps, args),
    'promote.preview': (args) => promotePreview(deps, args),
    promote: (args) => promote(deps, args),
    rollback: (args) => rollback(deps, args),
    'deployments.abort': (args) => abortDeployment(deps, args),
    'deployments.list': async (args) => {
      await deps.workspace.get(args.pipeline);
      return deps.tracker.list(args);
    },
    'config.get': (args) => getConfig(deps, args),
    'config.snapshot': (args) => getConfigSnapshot(deps, args),
    'config.set': (args) => setConfig(deps, args),
    'config.unset': (args) => unsetConfig(deps, args),
    'instances.list': (args) => listInstances(deps, args),
    'instances.kill': (args) => killInstance(deps, args),
    run: (args) => runOneOff(deps, args),
    'environments.makeDeploysSafe': (args) => makeDeploysSafe(deps, args),
    'environments.get': (args) => getEnvironment(deps, args),
    'environments.configure': (args) => configureEnvironment(deps, args),
    'aws.whoami': (args) => awsWhoami(deps, args),
    'aws.discover': (args) => awsDiscover(deps, args),
    'terminal.ticket': (args) => terminal.ticket(args),
    'environments.enableExec': (args) => terminal.enableExec(args),
    'activity.setStore': (args, ctx) => setActivityStore(args, ctx),
    'activity.list': (args) => {
      if (args.environment && !args.pipeline) {
        return Promise.reject(new AppError('INVALID_INPUT', 'Filter by environment needs a pipeline too.'));
      }
      return deps.audit.list(args);
    },
    'logs.search': (args) => searchLogs(deps, args),
    'metrics.get': (args) => getMetrics(deps, args),
    'metrics.enableDetailed': (args) => enableDetailedMetrics(deps, args),
    'alarms.guardDeploys': (args) => guardDeploys(deps, args),
    'alarms.list': (args) => listAlarms(deps, args),
    'alarms.create': (args) => createAlarm(deps, args),
    'alarms.delete': (args) => deleteAlarm(deps, args),
  };
}

export function createStreamHandlers(deps: CoreDeps): StreamHandlers {
  return {
    'deployments.watch': (args, emit) =>
      deps.tracker.onDidChange(({ deployment, here }) => {
        if (args.here && !here) return;
        if (!args.pipeline || deployment.pipeline === args.pipeline) emit(deployment);
      }),
    'activity.watch': (args, emit) =>
      deps.audit.watch((event) => {
        if (args.pipeline && event.pipeline !== args.pipeline) return;
        if (args.environment && event.environment !== args.environment) return;
        emit(event);
      }),
    'logs.tail': (args, emit, ctx) => tailLogs(deps, args, emit, ctx.backlog),
    'alarms.watch': (args, emit) => watchAlarms(deps, args, emit),
  };
}

export function createChannelHandlers(terminal: TerminalService): ChannelHandlers {
  return {
    'terminal.session': (args, emit, end) => terminal.open(args.ticket, emit, end),
  };
}
