// Every `slipway` command, in the order help lists them.
import { parsePort } from './args.js';
import { activity, config, deployments, pipelines, releases, status } from './commands-read.js';
import { configSet, configUnset, deploy, markNoRollback, promote, rollback } from './commands-write.js';
import { serve } from './serve.js';
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

export const COMMANDS: readonly CommandSpec[] = [
  pipelines,
  status,
  releases,
  deploy,
  promote,
  rollback,
  markNoRollback,
  config,
  configSet,
  configUnset,
  activity,
  deployments,
  serveCommand,
];

/** Every command takes these. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', help: 'Print exactly one JSON value on stdout (errors: the error envelope).' },
  help: { type: 'boolean', short: 'h', help: 'Show help for the command.' },
};

export const findCommand = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);
