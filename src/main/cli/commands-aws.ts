// Commands for AWS pipelines and instances: whoami, aws:discover, pipelines:create, ps, ps:kill, run,
// doctor.
import { resolve } from 'node:path';
import type { DeploymentSafety } from '../../shared/contract/index.js';
import type { WireError } from '../../shared/errors.js';
import type { EnvironmentStatus, Pipeline } from '../../shared/model.js';
import { ENV_OPTION, PIPELINE, need, str } from './commands-read.js';
import { oneLine, relativeTime, table, versionLabel } from './format.js';
import { CommandFailed, UsageError, type CommandContext, type CommandSpec, type OptionSpec } from './spec.js';
import { ecsDetailsOf } from '../../shared/provider-details.js';

const PROFILE_OPTION: OptionSpec = {
  type: 'string',
  value: 'PROFILE',
  help: 'A profile from ~/.aws/config (default: the standard credential chain).',
};
const REGION_OPTION: OptionSpec = {
  type: 'string',
  value: 'REGION',
  help: 'The AWS region, e.g. eu-west-1 (default: AWS_REGION or AWS_DEFAULT_REGION).',
};

/** The same check the contract makes, early, so a mistyped region is a usage error (exit 2). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const NAME = /^[a-z][a-z0-9-]{0,39}$/;

function checkRegion(region: string): string {
  if (!REGION.test(region)) throw new UsageError(`"${region}" is not an AWS region; use a name such as eu-west-1.`);
  return region;
}

/** --region, else the region the AWS CLI would use. */
function awsLocation(ctx: CommandContext, command: string): { profile?: string; region: string } {
  const region = str(ctx.opts, 'region') || ctx.io.env.AWS_REGION || ctx.io.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UsageError(
      `${command} needs --region REGION (or AWS_REGION set in the environment).`,
      `Example: slipway ${command} --region eu-west-1`,
    );
  }
  const profile = str(ctx.opts, 'profile');
  return { ...(profile ? { profile } : {}), region: checkRegion(region) };
}

/** The command as a person would type it, so `sh -c "a; b"` reads back with its quotes. */
const shellLine = (argv: readonly string[]): string =>
  argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');

const credentialsLabel = (profile: string | undefined): string =>
  profile === undefined ? 'default credentials' : `profile ${profile}`;

export const whoami: CommandSpec = {
  name: 'whoami',
  summary: 'Which AWS account and identity your credentials are.',
  args: [],
  options: { profile: PROFILE_OPTION, region: REGION_OPTION },
  examples: ['slipway whoami', 'slipway whoami --profile production --region eu-west-1'],
  async run(ctx) {
    const value = await ctx.call('aws.whoami', awsLocation(ctx, 'whoami'));
    const human = table(
      [],
      [
        ['Account', value.account],
        ['Identity', value.arn],
        ['User ID', value.userId],
        ['Credentials', credentialsLabel(value.profile)],
        ['Region', value.region],
      ],
    );
    return { value, human };
  },
};

export const awsDiscover: CommandSpec = {
  name: 'aws:discover',
  summary: 'The ECS clusters and services your credentials can see in a region.',
  args: [],
  options: { profile: PROFILE_OPTION, region: REGION_OPTION },
  examples: ['slipway aws:discover --region eu-west-1'],
  async run(ctx) {
    const location = awsLocation(ctx, 'aws:discover');
    const value = await ctx.call('aws.discover', location);
    const rows = value.clusters.flatMap((cluster) =>
      cluster.services.length === 0
        ? [[cluster.name, '(no services)', '', '', '', '']]
        : cluster.services.map((s) => [
            cluster.name,
            s.name,
            s.status,
            s.taskDefinition ?? '—',
            `${s.runningCount}/${s.desiredCount}`,
            s.launchType ?? '—',
          ]),
    );
    const human =
      rows.length === 0
        ? `No ECS clusters in ${location.region} for ${credentialsLabel(location.profile)}.\n`
        : table(['CLUSTER', 'SERVICE', 'STATUS', 'TASK DEFINITION', 'RUNNING', 'LAUNCH'], rows) +
          '\nBind them: slipway pipelines:create NAME --provider aws-ecs --region ' +
          `${location.region} --env staging=CLUSTER/SERVICE --env production=CLUSTER/SERVICE\n`;
    return { value, human };
  },
};

/** `staging=CLUSTER/SERVICE`; the cluster may be an ARN, so the service is after the last slash. */
function parseEnvironmentBinding(text: string): { name: string; cluster: string; service: string } {
  const eq = text.indexOf('=');
  const slash = text.lastIndexOf('/');
  const name = text.slice(0, Math.max(eq, 0));
  const cluster = text.slice(eq + 1, slash);
  const service = text.slice(slash + 1);
  if (eq <= 0 || slash < eq || cluster === '' || service === '') {
    throw new UsageError(
      `"${oneLine(text, 60)}" is not ENV=CLUSTER/SERVICE.`,
      'Example: --env staging=staging/shop-web --env production=production/shop-web',
    );
  }
  if (!NAME.test(name)) {
    throw new UsageError(`"${name}" is not an environment name; use 1–40 lowercase letters, digits or dashes.`);
  }
  return { name, cluster, service };
}

export const pipelinesCreate: CommandSpec = {
  name: 'pipelines:create',
  summary: 'Create a pipeline from existing ECS services, one environment per --env, in promote order.',
  args: [{ name: 'NAME', required: true }],
  options: {
    provider: { type: 'string', value: 'aws-ecs', help: 'Where the environments run: aws-ecs.', required: true },
    region: {
      type: 'string',
      value: 'REGION',
      help: 'The AWS region of the services, e.g. eu-west-1.',
      required: true,
    },
    profile: PROFILE_OPTION,
    env: {
      type: 'string',
      value: 'ENV=CLUSTER/SERVICE',
      help: 'An environment and the ECS service it is; repeat in promote order.',
      required: true,
      multiple: true,
    },
    repo: { type: 'string', value: 'PATH', help: 'The local git clone, for commits and diffs when promoting.' },
    'release-command': {
      type: 'string',
      value: 'CMD',
      help: 'Run with each new release before it goes live, e.g. "bin/migrate".',
    },
  },
  examples: [
    'slipway pipelines:create shop --provider aws-ecs --region eu-west-1 --env staging=staging/shop-web --env production=production/shop-web',
  ],
  async run(ctx) {
    const name = ctx.args[0] ?? '';
    if (!NAME.test(name)) {
      throw new UsageError(`"${name}" is not a pipeline name; use 1–40 lowercase letters, digits or dashes.`);
    }
    const provider = need(ctx.opts, 'provider');
    if (provider !== 'aws-ecs') {
      throw new UsageError(
        `pipelines:create makes aws-ecs pipelines; "${provider}" is not one it can bind.`,
        'Use --provider aws-ecs.',
      );
    }
    const region = checkRegion(need(ctx.opts, 'region'));
    const profile = str(ctx.opts, 'profile');
    const envs = ctx.opts.env;
    const bindings = (Array.isArray(envs) ? envs : []).map(parseEnvironmentBinding);
    const seen = new Set<string>();
    for (const b of bindings) {
      if (seen.has(b.name)) throw new UsageError(`--env ${b.name} is given twice.`);
      seen.add(b.name);
    }
    const repo = str(ctx.opts, 'repo');
    const releaseCommand = str(ctx.opts, 'release-command');
    const pipeline: Pipeline = {
      name,
      environments: bindings.map((b) => ({
        name: b.name,
        target: {
          provider: 'aws-ecs',
          ...(profile ? { profile } : {}),
          region,
          cluster: b.cluster,
          service: b.service,
        },
      })),
      ...(repo ? { repo: resolve(repo) } : {}),
      ...(releaseCommand ? { releaseCommand } : {}),
    };
    const value = await ctx.call('pipelines.create', pipeline);
    const where = value.environments.map((e) =>
      e.target.provider === 'aws-ecs' ? `${e.name} (${e.target.cluster}/${e.target.service})` : e.name,
    );
    return {
      value,
      human: `Created pipeline ${value.name}: ${where.join(' → ')} in ${region}.\nNext: slipway status ${value.name}\n`,
    };
  },
};

export const ps: CommandSpec = {
  name: 'ps',
  summary: "An environment's instances (on ECS: the service's tasks).",
  args: [PIPELINE],
  options: { env: ENV_OPTION },
  examples: ['slipway ps shop --env production'],
  async run(ctx) {
    const value = await ctx.call('instances.list', { pipeline: ctx.args[0] ?? '', environment: need(ctx.opts, 'env') });
    const now = ctx.io.now();
    const human =
      value.length === 0
        ? 'No instances.\n'
        : table(
            ['INSTANCE', 'STATE', 'RELEASE', 'STARTED', 'ADDRESS', 'DETAIL'],
            value.map((i) => [
              i.id,
              i.state,
              versionLabel(i.releaseVersion),
              relativeTime(i.startedAt, now),
              i.address ?? '—',
              oneLine(i.detail ?? '', 80),
            ]),
          );
    return { value, human };
  },
};

export const psKill: CommandSpec = {
  name: 'ps:kill',
  summary: 'Stop one instance; the environment starts a replacement.',
  args: [PIPELINE, { name: 'INSTANCE', required: true }],
  options: {
    env: ENV_OPTION,
    reason: { type: 'string', value: 'TEXT', help: 'Why, recorded with the stop (ECS: the stopped reason).' },
  },
  examples: ['slipway ps:kill shop --env production 0a1b2c3d4e5f --reason "stuck on a lock"'],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const reason = str(ctx.opts, 'reason');
    const value = await ctx.call('instances.kill', {
      pipeline,
      environment,
      instance: ctx.args[1] ?? '',
      ...(reason ? { reason } : {}),
    });
    return {
      value,
      human: `Stopped ${value.instance} on ${pipeline}/${environment}; a replacement is starting.\n`,
    };
  },
};

export const run: CommandSpec = {
  name: 'run',
  summary: 'Run a one-off command with the serving release; exits with the command’s exit code.',
  args: [PIPELINE, { name: 'CMD', required: true, variadic: true }],
  options: { env: ENV_OPTION },
  examples: [
    'slipway run shop --env production -- bin/rails db:migrate:status',
    'slipway run shop --env staging -- sh -c "env | sort"',
  ],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const command = ctx.args.slice(1);
    ctx.io.stderr(`Running ${oneLine(shellLine(command), 100)} on ${pipeline}/${environment}…\n`);
    const value = await ctx.call('run', { pipeline, environment, command });
    if (ctx.json) ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    else ctx.io.stdout(value.output.map((line) => `${line}\n`).join(''));
    if (value.exitCode < 0) {
      ctx.io.stderr(
        `error PROVIDER_UNAVAILABLE: The command never ran: ${oneLine(value.output[0] ?? 'no reason given', 200)}\n`,
      );
      return 1;
    }
    if (value.exitCode !== 0) ctx.io.stderr(`Exited with code ${value.exitCode}.\n`);
    // An exit status is a byte; 256 would read as success.
    return value.exitCode > 255 ? 1 : value.exitCode;
  },
};

interface DoctorEnvironment {
  readonly environment: string;
  readonly provider: EnvironmentStatus['provider'];
  /** ECS only: the service's rollout settings. */
  readonly deploymentSafety?: DeploymentSafety;
  /** Zero-downtime rollouts that roll a failing release back by themselves. */
  readonly safe: boolean;
  readonly warnings: string[];
}

function diagnose(env: EnvironmentStatus): DoctorEnvironment {
  const safety = ecsDetailsOf(env.details)?.deploymentSafety;
  // The local provider always starts new instances and checks them before stopping old ones.
  const safe = safety ? safety.safe : env.provider === 'local';
  return {
    environment: env.environment,
    provider: env.provider,
    ...(safety ? { deploymentSafety: safety } : {}),
    safe,
    warnings: env.warnings,
  };
}

const breakerLabel = (s: DeploymentSafety): string =>
  s.circuitBreaker.enable ? (s.circuitBreaker.rollback ? 'on, rolls back' : 'on, no rollback') : 'off';

const settingsLabel = (s: DeploymentSafety): string =>
  `minimum healthy ${s.minimumHealthyPercent}%, maximum ${s.maximumPercent}%, circuit breaker ${breakerLabel(s)}`;

export const doctor: CommandSpec = {
  name: 'doctor',
  summary: 'Whether each environment deploys with zero downtime and rolls back by itself; --fix makes it so.',
  args: [PIPELINE],
  options: {
    env: { type: 'string', value: 'ENV', help: 'Only this environment.' },
    fix: {
      type: 'boolean',
      help: 'On ECS: set minimum healthy 100% and the circuit breaker with rollback where they are not.',
    },
  },
  examples: ['slipway doctor shop', 'slipway doctor shop --env production --fix'],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const only = str(ctx.opts, 'env');
    const read = async (): Promise<DoctorEnvironment[]> => {
      const status = await ctx.call('pipelines.status', { pipeline });
      const envs = status.environments.filter((e) => only === undefined || e.environment === only);
      if (envs.length === 0) {
        throw new CommandFailed({
          code: 'NOT_FOUND',
          message: `Pipeline "${pipeline}" has no environment "${only ?? ''}". Environments: ${status.environments.map((e) => e.environment).join(', ')}.`,
        });
      }
      return envs.map(diagnose);
    };

    let environments = await read();
    let human = '';
    const fixed: string[] = [];
    let failure: WireError | undefined;
    if (ctx.opts.fix === true) {
      for (const env of environments) {
        if (env.safe || env.provider !== 'aws-ecs') continue;
        ctx.io.stderr(`Making deploys to ${pipeline}/${env.environment} safe…\n`);
        try {
          const after = await ctx.call('environments.makeDeploysSafe', { pipeline, environment: env.environment });
          fixed.push(env.environment);
          human += `Made deploys to ${env.environment} safe: ${settingsLabel(after)}.\n`;
        } catch (error) {
          if (!(error instanceof CommandFailed)) throw error;
          failure ??= error.error;
          human += `Could not make deploys to ${env.environment} safe: ${error.error.message}\n`;
        }
      }
      if (fixed.length > 0) environments = await read();
      if (human !== '') human += '\n';
    }

    human += table(
      ['ENVIRONMENT', 'PROVIDER', 'MIN HEALTHY', 'MAX', 'CIRCUIT BREAKER', 'DEPLOYS'],
      environments.map((e) => {
        const s = e.deploymentSafety;
        return [
          e.environment,
          e.provider,
          s ? `${s.minimumHealthyPercent}%` : '—',
          s ? `${s.maximumPercent}%` : '—',
          s ? breakerLabel(s) : '—',
          e.safe ? 'safe' : 'unsafe',
        ];
      }),
    );
    for (const env of environments) for (const warning of env.warnings) human += `! ${env.environment}: ${warning}\n`;
    const unsafe = environments.filter((e) => !e.safe && e.provider === 'aws-ecs');
    if (unsafe.length > 0 && ctx.opts.fix !== true) {
      human += `Fix: slipway doctor ${pipeline}${only === undefined ? '' : ` --env ${only}`} --fix\n`;
    }
    const value = { pipeline, environments, fixed };
    return failure === undefined ? { value, human } : { value, human, failure };
  },
};
