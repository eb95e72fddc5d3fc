// Slipway's release metadata lives in task-definition tags. ECS tag values allow only letters, digits,
// spaces and `+ - = . _ : / @`, at most 256 characters, so other text is stored base64-encoded.
import type { Tag } from '@aws-sdk/client-ecs';
import type { Actor, ReleaseKind, ReleaseStatus } from '../../../shared/model.js';
import { releaseKindSchema, releaseStatusSchema } from '../../../shared/model.js';

export const TAG = {
  environment: 'slipway:environment',
  kind: 'slipway:kind',
  sha: 'slipway:sha',
  source: 'slipway:source',
  actor: 'slipway:actor',
  actorEmail: 'slipway:actor-email',
  /** The STS caller ARN the release was made as (its account is in the ARN). */
  actorArn: 'slipway:actor-arn',
  description: 'slipway:description',
  noRollback: 'slipway:no-rollback',
  noRollbackActor: 'slipway:no-rollback-actor',
  noRollbackActorEmail: 'slipway:no-rollback-actor-email',
  noRollbackAt: 'slipway:no-rollback-at',
  status: 'slipway:status',
  failure: 'slipway:failure',
} as const;

const MAX_VALUE = 256;
const PLAIN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const B64 = 'b64:';

export function encodeTagValue(text: string): string {
  if (PLAIN.test(text) && !text.startsWith(B64) && text.length <= MAX_VALUE) return text;
  const maxBytes = Math.floor((MAX_VALUE - B64.length) / 4) * 3;
  let cut = text;
  if (Buffer.byteLength(cut, 'utf8') > maxBytes) {
    const chars = Array.from(text);
    while (chars.length > 0 && Buffer.byteLength(`${chars.join('')}…`, 'utf8') > maxBytes) chars.pop();
    cut = `${chars.join('')}…`;
  }
  return B64 + Buffer.from(cut, 'utf8').toString('base64');
}

export function decodeTagValue(value: string): string {
  return value.startsWith(B64) ? Buffer.from(value.slice(B64.length), 'base64').toString('utf8') : value;
}

export type TagMap = ReadonlyMap<string, string>;

export function tagMap(tags: readonly Tag[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const tag of tags ?? []) {
    if (tag.key !== undefined) map.set(tag.key, decodeTagValue(tag.value ?? ''));
  }
  return map;
}

export function toTags(values: Readonly<Record<string, string | undefined>>): Tag[] {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, value: encodeTagValue(value) }));
}

export const isSlipwayTag = (key: string): boolean => key.startsWith('slipway:');

/** Keys only AWS may set (any case of `aws:`). */
export const isAwsReserved = (key: string): boolean => /^aws:/i.test(key);

export function readKind(tags: TagMap): ReleaseKind {
  const parsed = releaseKindSchema.safeParse(tags.get(TAG.kind));
  return parsed.success ? parsed.data : 'deploy';
}

export function readStatus(tags: TagMap): ReleaseStatus {
  const parsed = releaseStatusSchema.safeParse(tags.get(TAG.status));
  return parsed.success ? parsed.data : 'succeeded';
}

export function readActor(tags: TagMap, userKey: string, emailKey: string, arnKey?: string): Actor {
  const email = tags.get(emailKey);
  const actor: Actor =
    email === undefined ? { user: tags.get(userKey) ?? 'unknown' } : { user: tags.get(userKey) ?? 'unknown', email };
  const arn = arnKey === undefined ? undefined : tags.get(arnKey);
  return arn ? { ...actor, cloud: { account: arn.split(':')[4] ?? '', arn } } : actor;
}

/** `staging:v4` ⇄ {environment, version}. */
export const formatSource = (source: { environment: string; version: number }): string =>
  `${source.environment}:v${source.version}`;

export function readSource(tags: TagMap): { environment: string; version: number } | undefined {
  const match = /^([a-z][a-z0-9-]*):v(\d+)$/.exec(tags.get(TAG.source) ?? '');
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { environment: match[1], version: Number(match[2]) };
}
