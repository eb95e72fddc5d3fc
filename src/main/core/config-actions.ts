// Config changes: each makes a release (same artifact, new config) and deploys it.
import type { ProcedureArgs } from '../../shared/contract/index.js';
import { MAX_CONFIG_BYTES } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Config, Deployment, PublicConfigVar } from '../../shared/model.js';
import { toPublicConfig } from './config-privacy.js';
import { resolveEnvironment, type CoreDeps } from './core-deps.js';
import { queueRelease } from './release-runner.js';

export async function getConfig(deps: CoreDeps, args: ProcedureArgs<'config.get'>): Promise<PublicConfigVar[]> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const current = await provider.currentRelease(ctx);
  return toPublicConfig(current?.config ?? {}, deps.hash);
}

function configBytes(config: Config): number {
  return Object.entries(config).reduce((sum, [key, { value }]) => sum + key.length + Buffer.byteLength(value) + 2, 0);
}

function changeConfig(
  deps: CoreDeps,
  args: { pipeline: string; environment: string },
  action: 'config.set' | 'config.unset',
  keys: string[],
  apply: (config: Config) => Config,
): Promise<Deployment> {
  return queueRelease(deps, args, async () => {
    const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
    const serving = await provider.currentRelease(ctx);
    if (!serving) {
      throw new AppError('CONFLICT', `${args.environment} has no release yet; deploy once, then set its config.`);
    }
    const keyList = keys.join(', ');
    const verb = action === 'config.set' ? 'Set' : 'Unset';
    return {
      pipeline: args.pipeline,
      environment: args.environment,
      kind: 'config',
      action,
      summary: `${verb} ${keyList} on ${args.environment}`,
      async plan(_env, { current }) {
        if (!current)
          throw new AppError('CONFLICT', `${args.environment} has no release yet; deploy once, then set its config.`);
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
