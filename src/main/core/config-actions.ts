// Config changes: each makes a release (same artifact, new config) and deploys it.
import type { ProcedureArgs } from '../../shared/contract/index.js';
import { MAX_CONFIG_BYTES } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { ConfigSnapshot } from '../../shared/contract/index.js';
import type { Config, Deployment, PublicConfigVar, Release } from '../../shared/model.js';
import { toPublicConfig } from './config-privacy.js';
import { resolveEnvironment, type CoreDeps, type ResolvedEnvironment } from './core-deps.js';
import { queueRelease } from './release-runner.js';

export async function getConfig(deps: CoreDeps, args: ProcedureArgs<'config.get'>): Promise<PublicConfigVar[]> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const current = await provider.currentRelease(ctx);
  return toPublicConfig(current?.config ?? {}, deps.hash);
}

export async function getConfigSnapshot(
  deps: CoreDeps,
  args: ProcedureArgs<'config.snapshot'>,
): Promise<ConfigSnapshot> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const current = await provider.currentRelease(ctx);
  return {
    ...(current ? { version: current.version } : {}),
    vars: toPublicConfig(current?.config ?? {}, deps.hash),
  };
}

const sameVar = (a: Config, b: Config, key: string): boolean => {
  const x = Object.hasOwn(a, key) ? a[key] : undefined;
  const y = Object.hasOwn(b, key) ? b[key] : undefined;
  return x === undefined || y === undefined ? x === y : x.value === y.value && x.secret === y.secret;
};

/**
 * A change based on an older release goes ahead only if none of its keys changed since: teammates'
 * changes to other keys compose, a change to the same key is never overwritten.
 */
async function checkBase(
  { ctx, provider }: ResolvedEnvironment,
  environment: string,
  keys: string[],
  baseVersion: number | undefined,
  current: Release,
): Promise<void> {
  if (baseVersion === undefined || baseVersion === current.version) return;
  const base = await provider.getRelease(ctx, baseVersion);
  const moved = base ? keys.filter((key) => !sameVar(base.config, current.config, key)) : keys;
  if (moved.length === 0) return;
  const what = base
    ? `${moved.join(', ')} changed on ${environment} since its config was read at v${baseVersion}`
    : `${environment} has no release v${baseVersion} to base this change on`;
  throw new AppError(
    'CONFLICT',
    `${what} (it runs v${current.version} now). Nothing was changed: read the config again and redo the change.`,
    { details: { baseVersion, currentVersion: current.version, keys: moved } },
  );
}

function configBytes(config: Config): number {
  return Object.entries(config).reduce((sum, [key, { value }]) => sum + key.length + Buffer.byteLength(value) + 2, 0);
}

function changeConfig(
  deps: CoreDeps,
  args: { pipeline: string; environment: string; baseVersion?: number | undefined },
  action: 'config.set' | 'config.unset',
  keys: string[],
  apply: (config: Config) => Config,
): Promise<Deployment> {
  return queueRelease(deps, args, async () => {
    const resolved = await resolveEnvironment(deps, args.pipeline, args.environment);
    const serving = await resolved.provider.currentRelease(resolved.ctx);
    if (!serving) {
      throw new AppError('CONFLICT', `${args.environment} has no release yet; deploy once, then set its config.`);
    }
    // Checked now for a fast, clear answer, and again when the job's turn comes.
    await checkBase(resolved, args.environment, keys, args.baseVersion, serving);
    const keyList = keys.join(', ');
    const verb = action === 'config.set' ? 'Set' : 'Unset';
    return {
      pipeline: args.pipeline,
      environment: args.environment,
      kind: 'config',
      action,
      summary: `${verb} ${keyList} on ${args.environment}`,
      async plan(env, { current }) {
        if (!current)
          throw new AppError('CONFLICT', `${args.environment} has no release yet; deploy once, then set its config.`);
        await checkBase(env, args.environment, keys, args.baseVersion, current);
        // Applied to the config as it is when this job runs, so queued changes compose instead of overwriting.
        const config = apply(current.config);
        if (configBytes(config) > MAX_CONFIG_BYTES) {
          throw new AppError(
            'INVALID_INPUT',
            `The config of ${args.environment} would exceed ${MAX_CONFIG_BYTES / 1024} KiB. Remove some vars first.`,
          );
        }
        return {
          spec: {
            kind: 'config',
            artifact: current.artifact,
            sha: current.sha,
            config,
            description: `${verb} ${keyList}`,
          },
          // Key names and keyed hashes only: never values, secret or not.
          audit: {
            keys: keys.map((key) => {
              const entry = Object.hasOwn(config, key) ? config[key] : undefined;
              return entry ? { key, hash: deps.hash(entry.value) } : { key };
            }),
          },
        };
      },
      describe: (release) => `${verb} ${keyList} on ${args.environment} as v${release.version}`,
    };
  });
}

export function setConfig(deps: CoreDeps, args: ProcedureArgs<'config.set'>): Promise<Deployment> {
  const keys = [...new Set(args.vars.map((v) => v.key))];
  return changeConfig(deps, args, 'config.set', keys, (config) => {
    // A Map, not an object: a key named `constructor` or `toString` is data, never an inherited member.
    const next = new Map(Object.entries(config));
    for (const { key, value, secret } of args.vars)
      next.set(key, { value, secret: secret ?? next.get(key)?.secret ?? false });
    return Object.fromEntries(next);
  });
}

export function unsetConfig(deps: CoreDeps, args: ProcedureArgs<'config.unset'>): Promise<Deployment> {
  return changeConfig(deps, args, 'config.unset', [...new Set(args.keys)], (config) => {
    const next = new Map(Object.entries(config));
    const missing = args.keys.filter((key) => !next.has(key));
    if (missing.length > 0) {
      throw new AppError(
        'NOT_FOUND',
        `${args.environment} has no config var ${missing.join(', ')}; nothing was changed.`,
      );
    }
    for (const key of args.keys) next.delete(key);
    return Object.fromEntries(next);
  });
}
