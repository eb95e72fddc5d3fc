// Where the local provider keeps its state under SLIPWAY_HOME. Plain files, so a person can look.
import { join } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { EnvironmentContext } from '../provider.js';

export interface EnvironmentPaths {
  readonly root: string;
  /** `v1.json` (immutable) plus `v1.status.json` / `v1.no-rollback.json` (the mutable bits). */
  readonly releases: string;
  /** One record per running instance: pid, port, release. */
  readonly instances: string;
  readonly logs: string;
  /** The reverse proxy's pid file, admin token and log. */
  readonly proxy: string;
  /** Which release and instances the proxy routes to. */
  readonly serving: string;
  readonly lock: string;
}

const safeSegment = /^[a-z][a-z0-9-]{0,39}$/;

export const localRoot = (home: string): string => join(home, 'local');
export const slugsDir = (home: string): string => join(localRoot(home), 'slugs');
export const pipelinesDir = (home: string): string => join(localRoot(home), 'pipelines');

export function environmentPaths(home: string, ctx: EnvironmentContext): EnvironmentPaths {
  return environmentPathsFor(home, ctx.pipeline.name, ctx.environment.name);
}

export function environmentPathsFor(home: string, pipeline: string, environment: string): EnvironmentPaths {
  // Names become folder names; the schema already restricts them, this keeps a bad caller out of `..`.
  for (const name of [pipeline, environment]) {
    if (!safeSegment.test(name))
      throw new AppError('INVALID_INPUT', `"${name}" is not a valid pipeline or environment name.`);
  }
  const root = join(pipelinesDir(home), pipeline, environment);
  return {
    root,
    releases: join(root, 'releases'),
    instances: join(root, 'instances'),
    logs: join(root, 'logs'),
    proxy: join(root, 'proxy'),
    serving: join(root, 'serving.json'),
    lock: join(root, 'deploy.lock'),
  };
}
