// Releases are task-definition revisions of the environment's family, and a release's number is the
// revision number: ECS allocates it atomically on RegisterTaskDefinition, so no listing is needed to
// number a release and no two processes or machines can make the same vN. Slipway's metadata lives in
// tags; a revision without them was registered outside Slipway and is a release of kind `external`.
//
// A family shared by several environments: a revision Slipway registered belongs to the environment
// named in its `slipway:environment` tag and is listed only there; an external revision is listed in
// every environment whose service uses the family. Each environment's history then has gaps where
// another registered, and numbers still never collide.
import {
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { Actor, Release, ReleaseStatus } from '../../../shared/model.js';
import type { EnvironmentContext, ReleasePage, ReleaseSpec } from '../provider.js';
import { mapLimit } from './async-util.js';
import { environmentKey, ecsTarget, familyOfArn, readService, releaseKey, type Runtime } from './runtime.js';
import type { CachedTaskDefinition } from './task-definition-cache.js';
import { appContainerName, nextRegisterInput, readArtifact, readCommit, readConfig } from './task-definition.js';
import {
  formatSource,
  isAwsReserved,
  isSlipwayTag,
  readActor,
  readKind,
  readSource,
  readStatus,
  TAG,
  toTags,
} from './tags.js';

/** The newest page of history when the caller names no size. */
export const DEFAULT_PAGE = 20;

/** `arn:aws:iam::1:user/alice`, `arn:aws:sts::1:assumed-role/Deploy/alice` → `alice`; a service principal as is. */
function registeredByName(arn: string | undefined): string {
  if (arn === undefined || arn === '') return 'unknown';
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

/**
 * The release a revision is, from this environment's point of view; undefined when it is not one of its
 * releases (no containers, or Slipway registered it for another environment, unless `serving`: what an
 * environment runs is always shown, whoever registered it).
 */
export function releaseFrom(
  ctx: EnvironmentContext,
  cached: CachedTaskDefinition,
  serving = false,
): Release | undefined {
  const { td, tags } = cached;
  const version = td.revision;
  if (version === undefined || version < 1 || (td.containerDefinitions ?? []).length === 0) return undefined;
  const app = appContainerName(td, ecsTarget(ctx).service);
  const container = td.containerDefinitions?.find((c) => c.name === app);
  const owner = tags.get(TAG.environment);
  const createdAt = (td.registeredAt ?? new Date(0)).toISOString();
  if (owner === undefined || owner !== environmentKey(ctx)) {
    if (owner !== undefined && !serving) return undefined;
    const sha = readCommit(container);
    return {
      version,
      kind: 'external',
      artifact: readArtifact(td, app),
      ...(sha === undefined ? {} : { sha }),
      config: readConfig(container),
      actor: { user: registeredByName(td.registeredBy) },
      description:
        owner === undefined ? 'Registered outside Slipway' : `Registered by Slipway for ${owner.replace('/', ' ')}`,
      createdAt,
      // It was never deployed through Slipway; ECS keeps no record of whether it served, so it counts as
      // one that may be rolled back to.
      status: 'succeeded',
    };
  }
  const failure = tags.get(TAG.failure);
  const sha = tags.get(TAG.sha) ?? readCommit(container);
  const source = readSource(tags);
  const noRollbackReason = tags.get(TAG.noRollback);
  return {
    version,
    kind: readKind(tags),
    artifact: readArtifact(td, app),
    ...(sha === undefined ? {} : { sha }),
    config: readConfig(container),
    actor: readActor(tags, TAG.actor, TAG.actorEmail, TAG.actorArn),
    description: tags.get(TAG.description) ?? `Revision ${version}`,
    createdAt,
    ...(source === undefined ? {} : { source }),
    ...(noRollbackReason === undefined
      ? {}
      : {
          noRollback: {
            reason: noRollbackReason,
            actor: readActor(tags, TAG.noRollbackActor, TAG.noRollbackActorEmail),
            at: tags.get(TAG.noRollbackAt) ?? '',
          },
        }),
    // Serving means its rollout completed, even if the process that rolled it out never wrote that down.
    status: serving && readStatus(tags) === 'pending' ? 'succeeded' : readStatus(tags),
    ...(failure === undefined ? {} : { failure }),
  };
}

/** The family of the revision the service runs: the environment's family. */
async function familyOf(rt: Runtime, ctx: EnvironmentContext): Promise<string> {
  const service = await readService(rt, ctx);
  if (service.taskDefinition === undefined) {
    throw new AppError(
      'NOT_FOUND',
      `ECS service ${ecsTarget(ctx).service} names no task definition, so it has no releases.`,
    );
  }
  return familyOfArn(service.taskDefinition);
}

/** One revision by number, or undefined when it was deleted or deregistered (it can no longer run). */
async function revision(
  rt: Runtime,
  ctx: EnvironmentContext,
  version: number,
): Promise<CachedTaskDefinition | undefined> {
  const session = rt.session(ecsTarget(ctx));
  const known = rt.releaseArns.get(releaseKey(ctx, version));
  try {
    const cached = await rt.taskDefinitions.get(session, known ?? `${await familyOf(rt, ctx)}:${version}`);
    if (cached.td.status === 'INACTIVE' || cached.td.status === 'DELETE_IN_PROGRESS') return undefined;
    rt.releaseArns.set(releaseKey(ctx, version), cached.arn);
    return cached;
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * A page of history, newest first. The newest page is one ListTaskDefinitions (newest `limit`
 * revisions) and one DescribeTaskDefinition per revision not read before; an older page reads the
 * revisions numbered below `before` directly, so neither cost grows with the family's history.
 */
export async function listReleases(rt: Runtime, ctx: EnvironmentContext, page: ReleasePage = {}): Promise<Release[]> {
  const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE, 100));
  const session = rt.session(ecsTarget(ctx));
  let found: (CachedTaskDefinition | undefined)[];
  if (page.before === undefined) {
    const family = await familyOf(rt, ctx);
    const out = await session.ecs(
      new ListTaskDefinitionsCommand({ familyPrefix: family, sort: 'DESC', maxResults: limit }),
      `task definition family ${family}`,
    );
    // ListTaskDefinitions matches by prefix on some endpoints: keep the exact family.
    const arns = (out.taskDefinitionArns ?? []).filter((arn) => familyOfArn(arn) === family);
    found = await mapLimit(arns, 8, (arn) => rt.taskDefinitions.get(session, arn));
  } else {
    const versions: number[] = [];
    for (let v = page.before - 1; v >= 1 && versions.length < limit; v--) versions.push(v);
    found = await mapLimit(versions, 8, (v) => revision(rt, ctx, v));
  }
  const releases: Release[] = [];
  for (const entry of found) {
    const release = entry === undefined ? undefined : releaseFrom(ctx, entry);
    if (!entry || !release) continue;
    rt.releaseArns.set(releaseKey(ctx, release.version), entry.arn);
    releases.push(release);
  }
  return releases.sort((a, b) => b.version - a.version);
}

/** The task definition of a release, from the index when known. */
export async function releaseDefinition(
  rt: Runtime,
  ctx: EnvironmentContext,
  version: number,
): Promise<CachedTaskDefinition | undefined> {
  return revision(rt, ctx, version);
}

export async function getRelease(rt: Runtime, ctx: EnvironmentContext, version: number): Promise<Release | undefined> {
  const cached = await releaseDefinition(rt, ctx, version);
  return cached === undefined ? undefined : releaseFrom(ctx, cached);
}

/**
 * The revision a service serves: its PRIMARY deployment once COMPLETED; during a rollout, the older
 * deployment that completed and still serves. Whoever deployed it (Slipway or another tool).
 */
export function servingTaskDefinition(service: Service): string | undefined {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (primary?.rolloutState === 'IN_PROGRESS') {
    return (deployments.find((d) => d.status === 'ACTIVE' && d.rolloutState === 'COMPLETED') ?? primary).taskDefinition;
  }
  return primary?.taskDefinition ?? service.taskDefinition;
}

/** What the environment runs now: one DescribeServices (cached briefly) and one DescribeTaskDefinition per revision ever. */
export async function currentRelease(rt: Runtime, ctx: EnvironmentContext): Promise<Release | undefined> {
  const arn = servingTaskDefinition(await readService(rt, ctx));
  if (arn === undefined) return undefined;
  const cached = await rt.taskDefinitions.get(rt.session(ecsTarget(ctx)), arn);
  const release = releaseFrom(ctx, cached, true);
  if (release) rt.releaseArns.set(releaseKey(ctx, release.version), cached.arn);
  return release;
}

function missingRelease(ctx: EnvironmentContext, version: number): AppError {
  return new AppError(
    'NOT_FOUND',
    `${ctx.environment.name} has no release v${version}: revision ${version} of its task-definition family is not active.`,
  );
}

/**
 * Registers the next revision; ECS numbers it. A rollback copies the old revision whole (cpu, memory,
 * sidecars as they were); everything else starts from the revision the service serves now.
 */
export async function createRelease(rt: Runtime, ctx: EnvironmentContext, spec: ReleaseSpec): Promise<Release> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const service = await readService(rt, ctx);
  const family = familyOfArn(service.taskDefinition ?? '');
  const copyFrom =
    spec.kind === 'rollback' && spec.source?.environment === ctx.environment.name ? spec.source.version : undefined;
  const servingArn = servingTaskDefinition(service);
  const base =
    copyFrom !== undefined
      ? await releaseDefinition(rt, ctx, copyFrom)
      : servingArn === undefined
        ? undefined
        : await rt.taskDefinitions.get(session, servingArn);
  if (!base) throw missingRelease(ctx, copyFrom ?? 0);

  // The team's own tags (cost allocation, ownership) travel with every revision; AWS's own
  // (`aws:` keys) are reserved and ECS refuses them on register.
  const values: Record<string, string | undefined> = Object.fromEntries(teamTags(base, family));
  Object.assign(values, {
    [TAG.environment]: environmentKey(ctx),
    [TAG.kind]: spec.kind,
    [TAG.sha]: spec.sha,
    [TAG.source]: spec.source === undefined ? undefined : formatSource(spec.source),
    [TAG.actor]: spec.actor.user,
    [TAG.actorEmail]: spec.actor.email,
    [TAG.actorArn]: spec.actor.cloud?.arn,
    [TAG.description]: spec.description,
    [TAG.noRollback]: spec.noRollback?.reason,
    [TAG.noRollbackActor]: spec.noRollback?.actor.user,
    [TAG.noRollbackActorEmail]: spec.noRollback?.actor.email,
    [TAG.noRollbackAt]: spec.noRollback?.at,
    [TAG.status]: 'pending',
  });
  const app = appContainerName(base.td, target.service);
  const input = nextRegisterInput(base.td, { app, artifact: spec.artifact, config: spec.config, tags: toTags(values) });
  const out = await session.ecs(new RegisterTaskDefinitionCommand(input), `task definition family ${family}`);
  const registered = out.taskDefinition;
  if (registered?.taskDefinitionArn === undefined || registered.revision === undefined) {
    throw new AppError('PROVIDER_UNAVAILABLE', `ECS did not return the new revision of ${family}. Try again.`);
  }
  const plain = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const cached = rt.taskDefinitions.put(registered.taskDefinitionArn, registered, new Map(plain));
  rt.releaseArns.set(releaseKey(ctx, registered.revision), registered.taskDefinitionArn);
  const release = releaseFrom(ctx, cached);
  if (!release) throw new AppError('INTERNAL', 'The new release could not be read back.');
  return release;
}

/** ECS allows 50 tags a revision (`aws:` ones aside); every Slipway key is reserved up front, so a later status or no-rollback mark still fits. */
const MAX_TAGS = 50;

function teamTags(base: CachedTaskDefinition, family: string): [string, string][] {
  const own = [...base.tags].filter(([key]) => !isSlipwayTag(key) && !isAwsReserved(key));
  const room = MAX_TAGS - Object.keys(TAG).length;
  if (own.length > room) {
    throw new AppError(
      'INVALID_INPUT',
      `Task definition family ${family} carries ${own.length} tags of its own; ECS allows ${MAX_TAGS} a revision and Slipway needs ${Object.keys(TAG).length} for its release facts. Remove at least ${own.length - room} tags from the revision the service runs, then deploy again.`,
    );
  }
  return own;
}

async function tagRelease(
  rt: Runtime,
  ctx: EnvironmentContext,
  version: number,
  set: Readonly<Record<string, string | undefined>>,
  remove: readonly string[],
): Promise<Release> {
  const session = rt.session(ecsTarget(ctx));
  // The body never changes and the tags are about to be overwritten: a cached copy is enough.
  const known = rt.releaseArns.get(releaseKey(ctx, version));
  const cached =
    (known === undefined ? undefined : rt.taskDefinitions.peek(known)) ?? (await releaseDefinition(rt, ctx, version));
  if (!cached) throw missingRelease(ctx, version);
  const tags = toTags(set);
  const label = `task definition ${cached.arn.slice(cached.arn.lastIndexOf('/') + 1)}`;
  if (tags.length > 0) await session.ecs(new TagResourceCommand({ resourceArn: cached.arn, tags }), label);
  const present = remove.filter((key) => cached.tags.has(key));
  if (present.length > 0)
    await session.ecs(new UntagResourceCommand({ resourceArn: cached.arn, tagKeys: present }), label);
  const plain = Object.fromEntries(Object.entries(set).filter((e): e is [string, string] => e[1] !== undefined));
  rt.taskDefinitions.updateTags(cached.arn, plain, present);
  const release = releaseFrom(ctx, rt.taskDefinitions.peek(cached.arn) ?? cached);
  if (!release) throw missingRelease(ctx, version);
  return release;
}

export function setReleaseStatus(
  rt: Runtime,
  ctx: EnvironmentContext,
  version: number,
  status: ReleaseStatus,
  failure?: string,
): Promise<Release> {
  const withFailure = status === 'failed' && failure !== undefined;
  return tagRelease(
    rt,
    ctx,
    version,
    { [TAG.status]: status, [TAG.failure]: withFailure ? failure : undefined },
    withFailure ? [] : [TAG.failure],
  );
}

export function markNoRollback(
  rt: Runtime,
  ctx: EnvironmentContext,
  version: number,
  mark: { reason: string; actor: Actor; at: string },
): Promise<Release> {
  return tagRelease(
    rt,
    ctx,
    version,
    {
      [TAG.noRollback]: mark.reason,
      [TAG.noRollbackActor]: mark.actor.user,
      [TAG.noRollbackActorEmail]: mark.actor.email,
      [TAG.noRollbackAt]: mark.at,
    },
    [],
  );
}

/** The ARN of a release's revision, from the index when known (no call). */
export async function releaseArn(rt: Runtime, ctx: EnvironmentContext, version: number): Promise<string> {
  const known = rt.releaseArns.get(releaseKey(ctx, version));
  if (known !== undefined) return known;
  const cached = await releaseDefinition(rt, ctx, version);
  if (!cached) throw missingRelease(ctx, version);
  return cached.arn;
}
