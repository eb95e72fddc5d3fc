// Commands that only read: pipelines, status, releases, config, activity, deployments.
import { parseCount, parseVersion } from './args.js';
import { actorLabel, imageLabel, oneLine, relativeTime, shortSha, table, versionLabel } from './format.js';
import type { CommandSpec, OptionValues } from './spec.js';
import { ecsDetailsOf } from '../../shared/provider-details.js';

export const PIPELINE = { name: 'PIPELINE', required: true } as const;
export const ENV_OPTION = {
  type: 'string',
  value: 'ENV',
  help: 'The environment, e.g. staging.',
  required: true,
} as const;

export const str = (opts: OptionValues, name: string): string | undefined => {
  const value = opts[name];
  return typeof value === 'string' ? value : undefined;
};
/** Required options are checked before a command runs; this only narrows the type. */
export const need = (opts: OptionValues, name: string): string => str(opts, name) ?? '';

export const pipelines: CommandSpec = {
  name: 'pipelines',
  summary: 'List the pipelines of the workspace.',
  args: [],
  options: {},
  async run(ctx) {
    const list = await ctx.call('pipelines.list', {});
    const human =
      list.length === 0
        ? 'No pipelines yet.\n'
        : table(
            ['PIPELINE', 'ENVIRONMENTS', 'PROVIDER'],
            list.map((p) => [
              p.name,
              p.environments.map((e) => e.name).join(' → '),
              [...new Set(p.environments.map((e) => e.provider))].join(', '),
            ]),
          );
    return { value: list, human };
  },
};

export const status: CommandSpec = {
  name: 'status',
  summary: 'What runs in every environment of a pipeline.',
  args: [PIPELINE],
  options: {},
  async run(ctx) {
    const value = await ctx.call('pipelines.status', { pipeline: ctx.args[0] ?? '' });
    const now = ctx.io.now();
    let human = table(
      ['ENVIRONMENT', 'RELEASE', 'IMAGE', 'SHA', 'DEPLOYED', 'INSTANCES', 'URL'],
      value.environments.map((env) => {
        const healthy = env.instances.filter((i) => i.state === 'healthy').length;
        const image = ecsDetailsOf(env.details)?.image;
        return [
          env.environment,
          `${versionLabel(env.current?.version)}${env.current?.kind === 'external' ? ' (external)' : ''}`,
          imageLabel(image),
          shortSha(env.current?.sha),
          relativeTime(env.current?.createdAt, now),
          env.instances.length === 0 ? 'none' : `${healthy}/${env.instances.length} healthy`,
          env.url ?? '—',
        ];
      }),
    );
    for (const env of value.environments) {
      const made = env.current?.actor;
      if (made?.cloud) human += `${env.environment} ${versionLabel(env.current?.version)} by ${actorLabel(made)}\n`;
    }
    for (const env of value.environments)
      for (const warning of env.warnings) human += `! ${env.environment}: ${warning}\n`;
    return { value, human };
  },
};

export const releases: CommandSpec = {
  name: 'releases',
  summary: 'Release history of an environment, newest first.',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    limit: { type: 'string', value: 'N', help: 'How many releases (default 20).' },
    before: { type: 'string', value: 'vN', help: 'Only releases older than vN (the next page).' },
  },
  examples: ['slipway releases shop --env production', 'slipway releases shop --env production --before v40'],
  async run(ctx) {
    const limit = str(ctx.opts, 'limit');
    const before = str(ctx.opts, 'before');
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const value = await ctx.call('releases.list', {
      pipeline,
      environment,
      ...(limit === undefined ? {} : { limit: parseCount(limit, 'limit', 500) }),
      ...(before === undefined ? {} : { before: parseVersion(before, 'before') }),
    });
    const now = ctx.io.now();
    const oldest = value.at(-1)?.version;
    const more =
      oldest !== undefined && oldest > 1
        ? `Older: slipway releases ${pipeline} --env ${environment} --before v${oldest}\n`
        : '';
    const human =
      value.length === 0
        ? 'No releases yet.\n'
        : table(
            ['', 'RELEASE', 'KIND', 'SHA', 'STATUS', 'BY', 'WHEN', 'DESCRIPTION'],
            value.map((r) => [
              r.current ? '*' : '',
              versionLabel(r.version),
              r.kind,
              shortSha(r.sha),
              r.kind === 'external' ? '—' : r.status,
              actorLabel(r.actor),
              relativeTime(r.createdAt, now),
              oneLine(
                [
                  r.description,
                  r.noRollback ? `[no-rollback: ${r.noRollback.reason}]` : '',
                  r.failure ? `(${r.failure})` : '',
                ]
                  .filter(Boolean)
                  .join(' '),
                100,
              ),
            ]),
          ) + more;
    return { value, human };
  },
};

export const config: CommandSpec = {
  name: 'config',
  summary: "An environment's config vars (secret values are never shown).",
  args: [PIPELINE],
  options: { env: ENV_OPTION },
  async run(ctx) {
    const snapshot = await ctx.call('config.snapshot', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
    });
    const value = snapshot.vars;
    let human =
      value.length === 0
        ? 'No config vars.\n'
        : table(
            ['KEY', 'VALUE'],
            value.map((v) => [v.key, v.secret ? `•••••• (secret, ${v.hash.slice(0, 8)})` : (v.value ?? '')]),
          );
    if (snapshot.version !== undefined) human += `As of release v${snapshot.version}.\n`;
    return { value, human };
  },
};

export const activity: CommandSpec = {
  name: 'activity',
  summary: 'The shared activity feed, newest first.',
  args: [{ name: 'PIPELINE', required: false }],
  options: {
    env: { type: 'string', value: 'ENV', help: 'Only this environment.' },
    limit: { type: 'string', value: 'N', help: 'How many events (default 50, at most 200).' },
    cursor: { type: 'string', value: 'CURSOR', help: 'Continue with older events (printed after a full page).' },
  },
  async run(ctx) {
    const limit = str(ctx.opts, 'limit');
    const env = str(ctx.opts, 'env');
    const cursor = str(ctx.opts, 'cursor');
    const value = await ctx.call('activity.list', {
      ...(ctx.args[0] === undefined ? {} : { pipeline: ctx.args[0] }),
      ...(env === undefined ? {} : { environment: env }),
      ...(limit === undefined ? {} : { limit: parseCount(limit, 'limit', 200) }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    const now = ctx.io.now();
    let human =
      value.events.length === 0
        ? 'No activity yet.\n'
        : table(
            ['WHEN', 'WHO', 'WHERE', 'ACTION', 'RESULT', 'SUMMARY'],
            value.events.map((e) => [
              relativeTime(e.at, now),
              actorLabel(e.actor),
              e.environment ? `${e.pipeline}/${e.environment}` : e.pipeline,
              e.action,
              e.result === 'failed' ? `failed${e.errorCode ? ` ${e.errorCode}` : ''}` : 'ok',
              oneLine(e.summary, 100),
            ]),
          );
    if (value.cursor) human += `More: add --cursor ${value.cursor}\n`;
    return { value, human };
  },
};

export const deployments: CommandSpec = {
  name: 'deployments',
  summary: 'Queued, running and recent deployments of a pipeline.',
  args: [PIPELINE],
  options: { env: { type: 'string', value: 'ENV', help: 'Only this environment.' } },
  async run(ctx) {
    const env = str(ctx.opts, 'env');
    const value = await ctx.call('deployments.list', {
      pipeline: ctx.args[0] ?? '',
      ...(env === undefined ? {} : { environment: env }),
    });
    const now = ctx.io.now();
    const human =
      value.length === 0
        ? 'No deployments yet.\n'
        : table(
            ['ID', 'ENVIRONMENT', 'KIND', 'STATUS', 'RELEASE', 'BY', 'QUEUED', 'SUMMARY'],
            value.map((d) => [
              d.id.slice(0, 8),
              d.environment,
              d.kind,
              d.status,
              versionLabel(d.releaseVersion),
              actorLabel(d.actor),
              relativeTime(d.queuedAt, now),
              oneLine(d.summary, 80),
            ]),
          );
    return { value, human };
  },
};
