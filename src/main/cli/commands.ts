// Every `slipway` command, in the order help lists them.
import { parsePort } from './args.js';
import { awsDiscover, doctor, pipelinesCreate, ps, psKill, run, whoami } from './commands-aws.js';
import { activityStore } from './commands-activity-store.js';
import { env, envSet } from './commands-environment.js';
import {
  alarms,
  alarmsCreate,
  alarmsDelete,
  alarmsGuardDeploys,
  logs,
  metrics,
  metricsEnableDetailed,
} from './commands-observe.js';
import { envEnableExec, psExec } from './commands-exec.js';
import { activity, config, deployments, pipelines, releases, status } from './commands-read.js';
import { configSet, configUnset, deploy, deployAbort, markNoRollback, promote, rollback } from './commands-write.js';
import { serve } from './serve.js';
import { api } from './commands-api.js';
import { webhooks, webhooksAdd, webhooksDeliveries, webhooksRedeliver, webhooksRemove } from './commands-webhooks.js';
import { team, teamJoin, teamLeave } from './commands-team.js';
import type { CommandSpec, OptionSpec } from './spec.js';

const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'Run Slipway for a browser and the local API on 127.0.0.1 (no window).',
  args: [],
  options: {
    port: { type: 'string', value: 'N', help: 'Listen on this port (default: a free one).' },
    open: { type: 'boolean', help: 'Open the address in your browser.' },
  },
  examples: ['slipway serve --open', 'slipway serve --port 4800'],
  run(ctx) {
    const port = typeof ctx.opts.port === 'string' ? parsePort(ctx.opts.port) : undefined;
    return serve(
      { home: ctx.home, ...(port === undefined ? {} : { port }), open: ctx.opts.open === true, json: ctx.json },
      ctx.io,
    );
  },
};

const localStopCommand: CommandSpec = {
  name: 'local:stop',
  summary: 'Stop every app process and proxy the local provider runs for this workspace.',
  args: [],
  options: {},
  examples: ['slipway local:stop'],
  async run(ctx) {
    // Not a contract procedure: it manages this machine's processes, not a pipeline.
    const { stopAllLocal } = await import('../providers/local/stop.js');
    await stopAllLocal(ctx.home);
    return {
      value: { stopped: true },
      human: 'Stopped the local environments of this workspace. They start again with `slipway serve` or the window.\n',
    };
  },
};

export const COMMANDS: readonly CommandSpec[] = [
  pipelines,
  pipelinesCreate,
  status,
  releases,
  deploy,
  deployAbort,
  promote,
  rollback,
  markNoRollback,
  config,
  configSet,
  configUnset,
  env,
  envSet,
  envEnableExec,
  ps,
  psKill,
  psExec,
  run,
  logs,
  metrics,
  metricsEnableDetailed,
  alarms,
  alarmsCreate,
  alarmsDelete,
  alarmsGuardDeploys,
  doctor,
  activity,
  activityStore,
  team,
  teamJoin,
  teamLeave,
  webhooks,
  webhooksAdd,
  webhooksRemove,
  webhooksDeliveries,
  webhooksRedeliver,
  deployments,
  whoami,
  awsDiscover,
  serveCommand,
  api,
  localStopCommand,
];

/** Every command takes these. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', help: 'Print exactly one JSON value on stdout (errors: the error envelope).' },
  help: { type: 'boolean', short: 'h', help: 'Show help for the command.' },
};

export const findCommand = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);
