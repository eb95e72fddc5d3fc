// A shell in a local instance: the user's $SHELL (else /bin/sh) under a pty, in the instance's release
// folder, with that release's config in its environment — what the instance itself sees.
import { AppError } from '../../../shared/errors.js';
import { spawnPty } from '../../terminal/pty-session.js';
import type { ExecControl } from '../capabilities.js';
import type { EnvironmentContext } from '../provider.js';
import { childEnv } from './child-env.js';
import { listInstanceRecords } from './instances.js';
import { environmentPaths } from './paths.js';
import { isGroupAlive } from './processes.js';
import { ReleaseStore } from './release-store.js';
import { readServing } from './serving.js';
import { slugDirFor } from './slugs.js';

export function localExec(home: string): ExecControl {
  return {
    async open(ctx: EnvironmentContext, request) {
      const paths = environmentPaths(home, ctx);
      const [records, serving] = await Promise.all([listInstanceRecords(paths), readServing(paths)]);
      const alive = records.filter((record) => isGroupAlive(record.pid) && !record.draining);
      const record = request.instance
        ? records.find((candidate) => candidate.id === request.instance)
        : (alive.find((candidate) => serving?.instances.includes(candidate.id)) ?? alive[0]);
      if (!record) {
        throw new AppError(
          'NOT_FOUND',
          request.instance
            ? `${ctx.environment.name} has no instance ${request.instance}. List them with \`slipway ps ${ctx.pipeline.name} --env ${ctx.environment.name}\`.`
            : `${ctx.environment.name} has no running instance to open a shell in. Deploy it first.`,
        );
      }
      const release = await new ReleaseStore(paths.releases).get(record.releaseVersion);
      if (!release) throw new AppError('NOT_FOUND', `Release v${record.releaseVersion} of ${record.id} is gone.`);
      const cwd = await slugDirFor(home, release.artifact);
      const shell = process.env.SHELL || '/bin/sh';
      const [file, ...args] = request.command ?? [shell];
      const env = childEnv(release.config, {
        TERM: 'xterm-256color',
        COLORTERM: 'truecolor',
        SLIPWAY_RELEASE_VERSION: String(release.version),
        SLIPWAY_ENVIRONMENT: ctx.environment.name,
        SLIPWAY_INSTANCE: record.id,
        ...(release.sha ? { SOURCE_VERSION: release.sha } : {}),
      });
      try {
        return await spawnPty({
          file: file ?? shell,
          args,
          cwd,
          env,
          cols: request.cols,
          rows: request.rows,
          instance: record.id,
        });
      } catch (error) {
        throw new AppError(
          'INVALID_INPUT',
          `Could not start \`${file ?? shell}\` in ${record.id}: ${(error as Error).message}.`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
