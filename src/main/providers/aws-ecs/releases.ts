// Releases are task-definition revisions of the environment's family; their metadata lives in tags.
import {
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { Actor, Release, ReleaseStatus } from '../../../shared/model.js';
import type { EnvironmentContext, ReleaseSpec } from '../provider.js';
import { mapLimit } from './async-util.js';
import { environmentKey, ecsTarget, familyOfArn, readService, releaseKey, type Runtime } from './runtime.js';
import type { CachedTaskDefinition } from './task-definition-cache.js';
import { appContainerName, nextRegisterInput, readArtifact, readConfig } from './task-definition.js';
import {
  formatSource,
  isAwsReserved,
  isSlipwayTag,
  readActor,
  readKind,
  readSource,
  readStatus,
  readVersion,
  TAG,
  toTags,
} from './tags.js';

/** How many of the newest revisions make up the history Slipway shows. */
const HISTORY_REVISIONS = 100;

export function releaseFrom(ctx: EnvironmentContext, cached: CachedTaskDefinition): Release | undefined {
  const { td, tags } = cached;
  const version = readVersion(tags);
  if (version === undefined || (td.containerDefinitions ?? []).length === 0) return undefined;
  const owner = tags.get(TAG.environment);
  if (owner !== undefined && owner !== environmentKey(ctx)) return undefined;
  const app = appContainerName(td, ecsTarget(ctx).service);
  const failure = tags.get(TAG.failure);
  const sha = tags.get(TAG.sha);
  const source = readSource(tags);
  const noRollbackReason = tags.get(TAG.noRollback);
  return {
    version,
    kind: readKind(tags),
    artifact: readArtifact(td, app),
    ...(sha === undefined ? {} : { sha }),
    config: readConfig(td.containerDefinitions?.find((c) => c.name === app)),
    actor: readActor(tags, TAG.actor, TAG.actorEmail),
    description: tags.get(TAG.description) ?? `Revision ${td.revision ?? '?'}`,
    createdAt: (td.registeredAt ?? new Date(0)).toISOString(),
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
    status: readStatus(tags),
    ...(failure === undefined ? {} : { failure }),
  };
}

/** The family's newest revisions, newest first. ListTaskDefinitions matches by prefix, so filter exactly. */
async function familyArns(rt: Runtime, ctx: EnvironmentContext): Promise<{ family: string; arns: string[] }> {
  const target = ecsTarget(ctx);
  const service = await readService(rt, ctx);
  const family = familyOfArn(service.taskDefinition ?? '');
  const out = await rt
    .session(target)
    .ecs(
      new ListTaskDefinitionsCommand({ familyPrefix: family, sort: 'DESC', maxResults: HISTORY_REVISIONS }),
      `task definition family ${family}`,
    );
  return { family, arns: (out.taskDefinitionArns ?? []).filter((arn) => familyOfArn(arn) === family) };
}

export async function listReleases(rt: Runtime, ctx: EnvironmentContext): Promise<Release[]> {
  const target = ecsTarget(ctx);
  const { arns } = await familyArns(rt, ctx);
  const session = rt.session(target);
  const cached = await mapLimit(arns, 8, (arn) => rt.taskDefinitions.get(session, arn));
  const releases: Release[] = [];
  for (const entry of cached) {
    const release = releaseFrom(ctx, entry);
    if (!release) continue;
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
  let arn = rt.releaseArns.get(releaseKey(ctx, version));
  if (arn === undefined) {
    await listReleases(rt, ctx);
    arn = rt.releaseArns.get(releaseKey(ctx, version));
  }
  return arn === undefined ? undefined : rt.taskDefinitions.get(rt.session(ecsTarget(ctx)), arn);
}

export async function getRelease(rt: Runtime, ctx: EnvironmentContext, version: number): Promise<Release | undefined> {
  const cached = await releaseDefinition(rt, ctx, version);
  return cached === undefined ? undefined : releaseFrom(ctx, cached);
}

function missingRelease(ctx: EnvironmentContext, version: number): AppError {
  return new AppError(
    'NOT_FOUND',
    `${ctx.environment.name} has no release v${version} among its recent task-definition revisions.`,
  );
}

/**
 * Registers the next revision. The version is max(existing) + 1: versions only grow with revisions,
 * so the newest revision that carries one holds the maximum and usually no extra read is needed.
 */
export async function createRelease(rt: Runtime, ctx: EnvironmentContext, spec: ReleaseSpec): Promise<Release> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const service = await readService(rt, ctx);
  const family = familyOfArn(service.taskDefinition ?? '');
  return rt.locks.run(`family\u0000${target.profile ?? ''}\u0000${target.region}\u0000${family}`, async () => {
    const { arns } = await familyArns(rt, ctx);
    let latest = 0;
    for (const arn of arns) {
      const release = releaseFrom(ctx, await rt.taskDefinitions.get(session, arn));
      if (release) {
        latest = release.version;
        break;
      }
    }

    // A rollback copies the old revision whole (cpu, memory, sidecars as they were); everything else
    // starts from what the service runs now.
    const copyFrom =
      spec.kind === 'rollback' && spec.source?.environment === ctx.environment.name ? spec.source.version : undefined;
    const base =
      copyFrom === undefined
        ? await rt.taskDefinitions.get(session, service.taskDefinition ?? '')
        : await releaseDefinition(rt, ctx, copyFrom);
    if (!base) throw missingRelease(ctx, copyFrom ?? 0);

    const version = latest + 1;
    // The team's own tags (cost allocation, ownership) travel with every revision; AWS's own
    // (`aws:` keys) are reserved and ECS refuses them on register.
    const values: Record<string, string | undefined> = Object.fromEntries(teamTags(base, family));
    Object.assign(values, {
      [TAG.version]: `v${version}`,
      [TAG.environment]: environmentKey(ctx),
      [TAG.kind]: spec.kind,
      [TAG.sha]: spec.sha,
      [TAG.source]: spec.source === undefined ? undefined : formatSource(spec.source),
      [TAG.actor]: spec.actor.user,
      [TAG.actorEmail]: spec.actor.email,
      [TAG.description]: spec.description,
      [TAG.noRollback]: spec.noRollback?.reason,
      [TAG.noRollbackActor]: spec.noRollback?.actor.user,
      [TAG.noRollbackActorEmail]: spec.noRollback?.actor.email,
      [TAG.noRollbackAt]: spec.noRollback?.at,
      [TAG.status]: 'pending',
    });
    const app = appContainerName(base.td, target.service);
    // The first release of a service Slipway did not deploy before starts from the config it runs
    // with: the caller had no release to take config from, and an empty one would drop the service's
    // variables and secret references.
    const config =
      latest === 0 && copyFrom === undefined
        ? { ...readConfig(base.td.containerDefinitions?.find((c) => c.name === app)), ...spec.config }
        : spec.config;
    const input = nextRegisterInput(base.td, { app, artifact: spec.artifact, config, tags: toTags(values) });
    const out = await session.ecs(new RegisterTaskDefinitionCommand(input), `task definition family ${family}`);
    const registered = out.taskDefinition;
    if (registered?.taskDefinitionArn === undefined) {
      throw new AppError('PROVIDER_UNAVAILABLE', `ECS did not return the new revision of ${family}. Try again.`);
    }
    const plain = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const cached = rt.taskDefinitions.put(registered.taskDefinitionArn, registered, new Map(plain));
    rt.releaseArns.set(releaseKey(ctx, version), registered.taskDefinitionArn);
    const release = releaseFrom(ctx, cached);
    if (!release) throw new AppError('INTERNAL', 'The new release could not be read back.');
    return release;
  });
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
