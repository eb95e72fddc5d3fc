// `slipway env` and `slipway env:set`: how a local environment runs its instances.
import {
  environmentSettingFields,
  settingsChanges,
  STOP_SIGNALS,
  type ConfigureEnvironmentInput,
} from '../../shared/contract/index.js';
import type { Environment } from '../../shared/model.js';
import type { z } from 'zod';
import { table } from './format.js';
import { ENV_OPTION, need, PIPELINE, str } from './commands-read.js';
import { UsageError, type CommandSpec, type OptionValues } from './spec.js';

const APPLIES =
  'They apply from the next deploy, promote, rollback or config change; what runs now keeps running as it is.';

function describe(pipeline: string, environment: Environment): string {
  const target = environment.target;
  if (target.provider !== 'local') {
    return (
      table(
        [],
        [
          ['Environment', `${pipeline}/${environment.name}`],
          ['Provider', 'AWS ECS'],
          ['Service', `${target.service} in cluster ${target.cluster} (${target.region})`],
        ],
      ) +
      'Its instance count, health check and stop settings are the ECS service’s own: the desired count on the service, the rest in its task definition.\n'
    );
  }
  const check = target.healthCheck;
  return table(
    [],
    [
      ['Environment', `${pipeline}/${environment.name}`],
      ['Provider', `local, proxy on 127.0.0.1:${target.port}`],
      ['Instances', String(target.instances)],
      [
        'Health check',
        `GET ${check.path} every ${check.intervalMs} ms, ${check.timeoutMs} ms timeout, up to ${check.retries} tries`,
      ],
      ['Stop signal', target.stopSignal],
      ['Grace period', `${target.graceMs} ms, then SIGKILL`],
    ],
  );
}

export const env: CommandSpec = {
  name: 'env',
  summary: 'How an environment runs: instances, health check, stop signal, grace period.',
  args: [PIPELINE],
  options: { env: ENV_OPTION },
  examples: ['slipway env demo --env staging'],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const value = await ctx.call('environments.get', { pipeline, environment: need(ctx.opts, 'env') });
    const hint =
      value.target.provider === 'local' ? `Change them with: slipway env:set ${pipeline} --env ${value.name} …\n` : '';
    return { value, human: describe(pipeline, value) + hint };
  },
};

/** The option's value checked with the contract's own rule, so a bad value is a usage error (exit 2). */
function checked<T>(schema: z.ZodType<T>, option: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${option}: ${parsed.error.issues[0]?.message ?? 'not valid'}.`);
  return parsed.data;
}

function wholeNumber(opts: OptionValues, option: string, schema: z.ZodType<number>): number | undefined {
  const text = str(opts, option);
  if (text === undefined) return undefined;
  return checked(schema, option, /^\d+$/.test(text.trim()) ? Number(text) : NaN);
}

/** `SIGQUIT`, `sigquit` or `QUIT`. */
function stopSignal(opts: OptionValues): ConfigureEnvironmentInput['stopSignal'] {
  const text = str(opts, 'stop-signal');
  if (text === undefined) return undefined;
  const upper = text.trim().toUpperCase();
  return checked(environmentSettingFields.stopSignal, 'stop-signal', upper.startsWith('SIG') ? upper : `SIG${upper}`);
}

export function settingsFromOptions(opts: OptionValues): Omit<ConfigureEnvironmentInput, 'pipeline' | 'environment'> {
  const f = environmentSettingFields;
  const path = str(opts, 'health-path');
  const healthCheck = {
    ...(path === undefined ? {} : { path: checked(f.healthPath, 'health-path', path) }),
    ...optional('intervalMs', wholeNumber(opts, 'health-interval', f.intervalMs)),
    ...optional('timeoutMs', wholeNumber(opts, 'health-timeout', f.timeoutMs)),
    ...optional('retries', wholeNumber(opts, 'health-retries', f.retries)),
  };
  const settings = {
    ...optional('instances', wholeNumber(opts, 'instances', f.instances)),
    ...(Object.keys(healthCheck).length === 0 ? {} : { healthCheck }),
    ...optional('stopSignal', stopSignal(opts)),
    ...optional('graceMs', wholeNumber(opts, 'grace', f.graceMs)),
  };
  if (Object.keys(settings).length === 0) {
    throw new UsageError(
      'Give at least one setting to change.',
      'Example: slipway env:set demo --env staging --instances 3 --stop-signal SIGQUIT',
    );
  }
  return settings;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export const envSet: CommandSpec = {
  name: 'env:set',
  summary: "Change a local environment's instances, health check, stop signal or grace period (from the next deploy).",
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    instances: { type: 'string', value: 'N', help: 'How many instances to run (1–16).' },
    'health-path': { type: 'string', value: 'PATH', help: 'The path the health check GETs, e.g. /healthz.' },
    'health-interval': { type: 'string', value: 'MS', help: 'Time between health checks, in milliseconds.' },
    'health-timeout': { type: 'string', value: 'MS', help: 'How long one health check may take, in milliseconds.' },
    'health-retries': { type: 'string', value: 'N', help: 'Failed checks before an instance counts as unhealthy.' },
    'stop-signal': {
      type: 'string',
      value: 'SIG',
      help: `The signal that stops an instance: ${STOP_SIGNALS.join(', ')}.`,
    },
    grace: { type: 'string', value: 'MS', help: 'Time between the stop signal and SIGKILL, in milliseconds.' },
  },
  examples: [
    'slipway env:set demo --env staging --instances 3 --stop-signal SIGQUIT',
    'slipway env:set demo --env production --health-path /up --grace 30000',
  ],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const settings = settingsFromOptions(ctx.opts);
    const before = await ctx.call('environments.get', { pipeline, environment });
    const value = await ctx.call('environments.configure', { pipeline, environment, ...settings });
    const changes =
      before.target.provider === 'local' && value.target.provider === 'local'
        ? settingsChanges(before.target, value.target)
        : [];
    const headline =
      changes.length === 0
        ? `${pipeline}/${environment} already has these settings; nothing changed.\n`
        : `Saved the settings of ${pipeline}/${environment}: ${changes.join(', ')}.\n${APPLIES}\n`;
    return { value, human: headline + describe(pipeline, value) };
  },
};
