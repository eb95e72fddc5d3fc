// Key scheme shared by every AuditStore: `<inverted ms>_<inverted seq>_<pipeline>_<env>_<id>.json`.
// Lexical order is newest first, and the pipeline/env in the name let a filter skip reading objects.
const MAX_MS = 9_999_999_999_999;
const MAX_SEQ = 9_999;

let lastMs = 0;
let seq = 0;
/** Recent events' keys by id: a retried append names the same object, so it can never write a copy. */
const recent = new Map<string, string>();
const RECENT = 256;

export function auditKey(event: {
  at: string;
  pipeline: string;
  environment?: string | undefined;
  id: string;
}): string {
  const known = recent.get(event.id);
  if (known) return known;
  const ms = Date.parse(event.at);
  seq = ms === lastMs ? Math.min(seq + 1, MAX_SEQ) : 0;
  lastMs = ms;
  const inverted = String(MAX_MS - ms).padStart(13, '0');
  const invertedSeq = String(MAX_SEQ - seq).padStart(4, '0');
  const key = `${inverted}_${invertedSeq}_${event.pipeline}_${event.environment ?? '-'}_${event.id}.json`;
  recent.set(event.id, key);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
  return key;
}

export interface ParsedAuditKey {
  readonly pipeline: string;
  readonly environment: string | undefined;
}

export function parseAuditKey(key: string): ParsedAuditKey | undefined {
  const match = /^\d{13}_\d{4}_([a-z0-9-]+)_([a-z0-9-]+)_[A-Za-z0-9-]+\.json$/.exec(key);
  if (!match) return undefined;
  return { pipeline: match[1]!, environment: match[2] === '-' ? undefined : match[2] };
}

export function keyMatches(
  key: string,
  filter: { pipeline?: string | undefined; environment?: string | undefined },
): boolean {
  const parsed = parseAuditKey(key);
  if (!parsed) return false;
  if (filter.pipeline && parsed.pipeline !== filter.pipeline) return false;
  if (filter.environment && parsed.environment !== filter.environment) return false;
  return true;
}

/**
 * An event's marker in the time index: `<ms written>_<feed key>`. Ascending by when it reached the
 * store (a spooled event uploaded late counts as new then), so "what is new" is one ListObjectsV2
 * with StartAfter.
 */
export const timeIndexKey = (feedKey: string, writtenMs: number): string =>
  `${String(writtenMs).padStart(13, '0')}_${feedKey}`;

/** Where a time-index listing starts for markers written at or after `ms` ('~' sorts after '_'). */
export const timeIndexStart = (ms: number): string => `${String(Math.max(0, ms - 1)).padStart(13, '0')}~`;

export function parseTimeIndexKey(key: string): { ms: number; feedKey: string } | undefined {
  const match = /^(\d{13})_(.+\.json)$/.exec(key);
  return match ? { ms: Number(match[1]), feedKey: match[2]! } : undefined;
}
