// Deploy, promote, rollback and the no-rollback mark: each a plan handed to the release runner.
import type { ProcedureArgs } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Deployment, PublicRelease, Release } from '../../shared/model.js';
import { findEnvironment } from '../workspace/workspace-store.js';
import { toPublicRelease } from './config-privacy.js';
import { resolveEnvironment, type CoreDeps, type ResolvedEnvironment } from './core-deps.js';
import { appendAudit, queueRelease } from './release-runner.js';
import { rollbackRange, rollbackVerdict } from './rollback-policy.js';
import { actorFor } from './acting-as.js';
import { environmentEvent } from './audit-event.js';

const short = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : 'unknown commit');

async function noRollbackMark(deps: CoreDeps, reason: string | undefined): Promise<Release['noRollback']> {
  return reason ? { reason, actor: await deps.actor(), at: new Date().toISOString() } : undefined;
}

export function deploy(deps: CoreDeps, args: ProcedureArgs<'deploy'>): Promise<Deployment> {
  return queueRelease(deps, args, async () => {
    const noRollback = await noRollbackMark(deps, args.noRollbackReason);
    return {
      pipeline: args.pipeline,
      environment: args.environment,
      kind: 'deploy',
      action: 'deploy',
      summary: `Deploy ${args.ref} to ${args.environment}`,
      async plan({ ctx, provider }, { current }, reporter, signal) {
        reporter.step('Build', `Resolve ${args.ref}`);
        const { artifact, sha } = await provider.resolveArtifact(ctx, args.ref, reporter, signal);
        return {
          spec: {
            kind: 'deploy',
            artifact,
            sha,
            config: current?.config ?? {},
            description: `Deploy ${short(sha)}${args.ref !== sha ? ` (${args.ref})` : ''}`,
            noRollback,
          },
        };
      },
      describe: (release, previous) =>
        `Deployed ${short(release.sha)} to ${args.environment} as v${release.version}${previous ? ` (was v${previous.version})` : ''}`,
    };
  });
}

/** The source's current release, or a clear error when there is nothing to promote. */
export async function promotableRelease(deps: CoreDeps, pipeline: string, from: string): Promise<Release> {
  const { ctx, provider } = await resolveEnvironment(deps, pipeline, from);
  const source = await provider.currentRelease(ctx);
  if (!source) {
    throw new AppError(
      'CONFLICT',
      `${from} has no release yet, so there is nothing to promote. Deploy to ${from} first.`,
    );
  }
  return source;
}

export async function checkPromotePair(deps: CoreDeps, pipelineName: string, from: string, to: string): Promise<void> {
  const pipeline = await deps.workspace.get(pipelineName);
  findEnvironment(pipeline, from);
  findEnvironment(pipeline, to);
  if (from === to)
    throw new AppError('INVALID_INPUT', 'Promote needs two different environments: --from and --to are the same.');
  const providers = new Set(
    pipeline.environments.filter((e) => e.name === from || e.name === to).map((e) => e.target.provider),
  );
  if (providers.size > 1) {
    throw new AppError(
      'INVALID_INPUT',
      `${from} and ${to} run on different providers; promote copies an artifact between environments of one provider.`,
    );
  }
}

export function promote(deps: CoreDeps, args: ProcedureArgs<'promote'>): Promise<Deployment> {
  return queueRelease(deps, { pipeline: args.pipeline, environment: args.to }, async () => {
    await checkPromotePair(deps, args.pipeline, args.from, args.to);
    // What the user saw in the dialog is what ships, even if the source changes while this waits in the queue.
    const source = await promotableRelease(deps, args.pipeline, args.from);
    if (args.sourceVersion !== undefined && source.version !== args.sourceVersion) {
      throw new AppError(
        'CONFLICT',
        `${args.from} moved since it was reviewed: the promote showed ${args.from} v${args.sourceVersion}, and ${args.from} runs v${source.version} now. Nothing was promoted; review the promote again.`,
        { details: { reviewedVersion: args.sourceVersion, currentVersion: source.version } },
      );
    }
    const noRollback = await noRollbackMark(deps, args.noRollbackReason);
    return {
      pipeline: args.pipeline,
      environment: args.to,
      kind: 'promote',
      action: 'promote',
      summary: `Promote ${args.from} v${source.version} to ${args.to}`,
      async plan(_env, { current }) {
        return {
          spec: {
            kind: 'promote',
            artifact: source.artifact,
            sha: source.sha,
            // The target keeps its own config: promote moves code, never settings.
            config: current?.config ?? {},
            description: `Promote ${args.from} v${source.version} (${short(source.sha)})`,
            source: { environment: args.from, version: source.version },
            noRollback,
          },
        };
      },
      describe: (release, previous) =>
        `Promoted ${args.from} v${source.version} (${short(release.sha)}) to ${args.to} as v${release.version}${previous ? ` (was v${previous.version})` : ''}`,
    };
  });
}

async function checkRollback(
  env: ResolvedEnvironment,
  current: Release | undefined,
  to: number | undefined,
  overrideReason: string | undefined,
  environment: string,
): Promise<Release> {
  if (!current)
    throw new AppError('CONFLICT', `${environment} has no release serving, so there is nothing to roll back.`);
  const { releases, target } = await rollbackRange(env.provider, env.ctx, current, to);
  if (!target) {
    throw to === undefined
      ? new AppError('CONFLICT', `${environment} has no earlier release that served traffic to roll back to.`)
      : new AppError('NOT_FOUND', `${environment} has no release v${to}. See \`slipway releases\` for the list.`);
  }
  const verdict = rollbackVerdict(releases, current, target);
  if (verdict.blockedBy && !overrideReason) {
    throw new AppError(
      'NO_ROLLBACK',
      `v${verdict.blockedBy.version} is marked no-rollback ("${verdict.blockedBy.reason}"), so ${environment} cannot roll back to v${target.version} across it. Give an override reason to do it anyway.`,
      { details: { blockedBy: verdict.blockedBy } },
    );
  }
  if (!verdict.allowed && !verdict.blockedBy)
    throw new AppError('CONFLICT', `Cannot roll back to v${target.version}: ${verdict.reason}`);
  return target;
}

export function rollback(deps: CoreDeps, args: ProcedureArgs<'rollback'>): Promise<Deployment> {
  return queueRelease(deps, args, async () => {
    // Checked now for a fast, clear answer, and again when the job runs in case something landed meanwhile.
    const env = await resolveEnvironment(deps, args.pipeline, args.environment);
    const current = await env.provider.currentRelease(env.ctx);
    const target = await checkRollback(env, current, args.to, args.overrideReason, args.environment);
    return {
      pipeline: args.pipeline,
      environment: args.environment,
      kind: 'rollback',
      action: 'rollback',
      summary: `Roll back ${args.environment} to v${target.version}`,
      async plan(resolved, state) {
        const chosen = await checkRollback(
          resolved,
          state.current,
          target.version,
          args.overrideReason,
          args.environment,
        );
        return {
          spec: {
            kind: 'rollback',
            artifact: chosen.artifact,
            sha: chosen.sha,
            config: chosen.config,
            description: `Rollback to v${chosen.version}`,
            source: { environment: args.environment, version: chosen.version },
          },
          audit: args.overrideReason ? { overrideReason: args.overrideReason } : {},
        };
      },
      describe: (release, previous) =>
        `Rolled back ${args.environment} to v${target.version} as v${release.version}${previous ? ` (was v${previous.version})` : ''}${args.overrideReason ? `, overriding no-rollback: ${args.overrideReason}` : ''}`,
    };
  });
}

export async function markNoRollback(
  deps: CoreDeps,
  args: ProcedureArgs<'releases.markNoRollback'>,
): Promise<PublicRelease> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const release = await provider.getRelease(ctx, args.version);
  if (!release) throw new AppError('NOT_FOUND', `${args.environment} has no release v${args.version}.`);
  const actor = await actorFor(deps, { ctx, provider });
  const marked = await provider.markNoRollback(ctx, args.version, {
    reason: args.reason,
    actor,
    at: new Date().toISOString(),
  });
  const event = environmentEvent(actor, 'release.mark-no-rollback', args);
  await appendAudit(deps, {
    ...event('succeeded', `Marked ${args.environment} v${args.version} no-rollback: ${args.reason}`),
    afterVersion: args.version,
  });
  return toPublicRelease(marked, deps.hash);
}
