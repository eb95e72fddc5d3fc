// Read-only views: pipelines, status, release history with rollback verdicts, promote preview.
import type {
  PipelineStatus,
  PipelineSummary,
  ProcedureArgs,
  PromotePreview,
  ReleaseListItem,
} from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Commit, Environment, EnvironmentStatus, Pipeline } from '../../shared/model.js';
import { commitsBetween, diffBetween, githubCompareUrl, hasCommit, recentCommits } from '../git/git.js';
import { capabilityNames } from '../providers/capabilities.js';
import type { Provider, ProviderStatus } from '../providers/provider.js';
import { toPublicRelease } from './config-privacy.js';
import { resolveEnvironment, type CoreDeps } from './core-deps.js';
import { checkPromotePair } from './release-actions.js';
import { rollbackVerdict } from './rollback-policy.js';

export async function listPipelines(deps: CoreDeps): Promise<PipelineSummary[]> {
  return (await deps.workspace.list()).map((p) => ({
    name: p.name,
    environments: p.environments.map((e) => ({ name: e.name, provider: e.target.provider })),
  }));
}

function environmentStatus(
  deps: CoreDeps,
  provider: Provider,
  pipeline: Pipeline,
  environment: Environment,
  status: ProviderStatus,
): EnvironmentStatus {
  return {
    pipeline: pipeline.name,
    environment: environment.name,
    provider: provider.kind,
    ...(status.current ? { current: toPublicRelease(status.current, deps.hash) } : {}),
    instances: [...status.instances],
    ...(status.url ? { url: status.url } : {}),
    ...(status.details ? { details: status.details } : {}),
    warnings: [...status.warnings],
    capabilities: capabilityNames(provider.capabilities),
  };
}

export async function pipelineStatus(deps: CoreDeps, args: ProcedureArgs<'pipelines.status'>): Promise<PipelineStatus> {
  // The pipeline is already read: status is polled, so the workspace file is not read again per environment.
  const pipeline = await deps.workspace.get(args.pipeline);
  // Each provider reads all of its environments at once, so it can batch its calls.
  const byKind = new Map<string, Environment[]>();
  for (const environment of pipeline.environments) {
    byKind.set(environment.target.provider, [...(byKind.get(environment.target.provider) ?? []), environment]);
  }
  const read = new Map<Environment, EnvironmentStatus>();
  await Promise.all(
    [...byKind.values()].map(async (environments) => {
      const provider = await deps.providers.get(environments[0]?.target.provider ?? 'local');
      const outcomes = await provider.statusMany(environments.map((environment) => ({ pipeline, environment })));
      environments.forEach((environment, i) => {
        const outcome = outcomes[i];
        if (!outcome) throw new AppError('INTERNAL', `No status was read for ${environment.name}.`);
        if (!outcome.ok) throw outcome.error;
        read.set(environment, environmentStatus(deps, provider, pipeline, environment, outcome.status));
      });
    }),
  );
  return { pipeline, environments: pipeline.environments.flatMap((e) => read.get(e) ?? []) };
}

export async function listReleases(deps: CoreDeps, args: ProcedureArgs<'releases.list'>): Promise<ReleaseListItem[]> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const [releases, current] = await Promise.all([
    provider.listReleases(ctx, { limit: args.limit, before: args.before }),
    provider.currentRelease(ctx),
  ]);
  return releases.map((release) => {
    const verdict = rollbackVerdict(releases, current, release);
    return {
      ...toPublicRelease(release, deps.hash),
      current: release.version === current?.version,
      rollback: {
        allowed: verdict.allowed,
        ...(verdict.blockedBy ? { blockedBy: verdict.blockedBy } : {}),
        ...(verdict.reason ? { reason: verdict.reason } : {}),
      },
    };
  });
}

export async function pipelineCommits(deps: CoreDeps, args: ProcedureArgs<'pipelines.commits'>): Promise<Commit[]> {
  const pipeline = await deps.workspace.get(args.pipeline);
  if (!pipeline.repo)
    throw new AppError(
      'NOT_FOUND',
      `Pipeline "${pipeline.name}" has no local repository set, so its commits cannot be read.`,
    );
  return recentCommits(pipeline.repo, args.limit);
}

export async function promotePreview(deps: CoreDeps, args: ProcedureArgs<'promote.preview'>): Promise<PromotePreview> {
  await checkPromotePair(deps, args.pipeline, args.from, args.to);
  const pipeline = await deps.workspace.get(args.pipeline);
  const [from, to] = await Promise.all(
    [args.from, args.to].map(async (name) => {
      const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, name);
      return provider.currentRelease(ctx);
    }),
  );
  if (!from)
    throw new AppError(
      'CONFLICT',
      `${args.from} has no release yet, so there is nothing to promote. Deploy to ${args.from} first.`,
    );
  const base: PromotePreview = {
    from: { environment: args.from, release: toPublicRelease(from, deps.hash) },
    to: { environment: args.to, ...(to ? { release: toPublicRelease(to, deps.hash) } : {}) },
    commits: [],
    diff: '',
    diffTruncated: false,
  };
  const repo = pipeline.repo;
  if (!repo)
    return { ...base, note: 'This pipeline has no local repository set, so commits and the diff cannot be shown.' };
  if (!from.sha || !(await hasCommit(repo, from.sha))) {
    return {
      ...base,
      note: `The commit of ${args.from} v${from.version} is not in ${repo}; fetch it to see commits and the diff.`,
    };
  }
  const toSha = to?.sha && (await hasCommit(repo, to.sha)) ? to.sha : undefined;
  if (toSha === from.sha)
    return {
      ...base,
      note: `${args.to} already runs this commit; the promote ships the same code with ${args.to}'s config.`,
    };
  const [commits, { diff, truncated }, compareUrl] = await Promise.all([
    commitsBetween(repo, toSha, from.sha),
    diffBetween(repo, toSha, from.sha),
    githubCompareUrl(repo, toSha, from.sha),
  ]);
  return {
    ...base,
    commits,
    diff,
    diffTruncated: truncated,
    ...(compareUrl ? { compareUrl } : {}),
    ...(to && !toSha
      ? {
          note: `${args.to} has never run a commit from this repository, so everything up to ${from.sha.slice(0, 7)} is shown.`,
        }
      : {}),
  };
}
