// Turns the config editor's rows into what will change: the review list and the calls to make.
import { configKeySchema, configValueSchema } from '../../shared/contract/config.js';
import type { PublicConfigVar } from '../../shared/model.js';

export interface ConfigRow {
  readonly id: string;
  readonly key: string;
  /** What the server has; absent for a row added in the editor. */
  readonly original?: PublicConfigVar;
  /** Undefined means "leave as is" (how an untouched secret starts: its value is never sent here). */
  readonly value: string | undefined;
  readonly secret: boolean;
  readonly removed: boolean;
}

export type ConfigChange =
  | { type: 'added'; key: string; secret: boolean; value: string }
  | { type: 'changed'; key: string; secret: boolean; before?: string; after: string; wasSecret: boolean }
  | { type: 'removed'; key: string; wasSecret: boolean };

export interface ConfigPlan {
  readonly changes: ConfigChange[];
  readonly sets: { key: string; value: string; secret: boolean }[];
  readonly unsets: string[];
  /** Row id → a sentence about what to fix. A plan with errors must not be applied. */
  readonly errors: Record<string, string>;
}

export const rowsFromConfig = (vars: readonly PublicConfigVar[]): ConfigRow[] =>
  vars.map((v) => ({
    id: `existing:${v.key}`,
    key: v.key,
    original: v,
    value: v.secret ? undefined : (v.value ?? ''),
    secret: v.secret,
    removed: false,
  }));

const firstIssue = (result: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined =>
  result.success ? undefined : (result.error?.issues[0]?.message ?? 'not valid');

export function planConfigChanges(rows: readonly ConfigRow[]): ConfigPlan {
  const changes: ConfigChange[] = [];
  const sets: ConfigPlan['sets'] = [];
  const unsets: string[] = [];
  const errors: Record<string, string> = {};
  const liveKeys = new Map<string, string>();

  // Keys that stay: existing rows not removed come first, so a duplicate new row is the one flagged.
  const ordered = [...rows.filter((r) => r.original), ...rows.filter((r) => !r.original)];
  for (const row of ordered) {
    if (row.removed) continue;
    const key = row.key.trim();
    if (!row.original && key === '' && (row.value ?? '') === '') continue; // an untouched blank row
    const owner = liveKeys.get(key);
    if (owner !== undefined && owner !== row.id) {
      errors[row.id] = `${key} appears twice; keep one row per key.`;
      continue;
    }
    liveKeys.set(key, row.id);
  }

  for (const row of rows) {
    const key = row.key.trim();
    const original = row.original;
    if (original) {
      if (row.removed) {
        if (!liveKeys.has(original.key)) {
          unsets.push(original.key);
          changes.push({ type: 'removed', key: original.key, wasSecret: original.secret });
        }
        continue;
      }
      if (row.value === undefined) {
        if (row.secret !== original.secret)
          errors[row.id] = `Enter the value of ${original.key} to store it as a plain value.`;
        continue;
      }
      const same = !original.secret && row.value === original.value && row.secret === original.secret;
      if (same) continue;
      const valueIssue = firstIssue(configValueSchema.safeParse(row.value));
      if (valueIssue) {
        errors[row.id] = valueIssue;
        continue;
      }
      sets.push({ key: original.key, value: row.value, secret: row.secret });
      changes.push({
        type: 'changed',
        key: original.key,
        secret: row.secret,
        ...(original.value !== undefined ? { before: original.value } : {}),
        after: row.value,
        wasSecret: original.secret,
      });
      continue;
    }

    if (row.removed || errors[row.id]) continue;
    const value = row.value ?? '';
    if (key === '' && value === '') continue;
    const keyIssue = key === '' ? 'Give the new value a key.' : firstIssue(configKeySchema.safeParse(key));
    if (keyIssue) {
      errors[row.id] = keyIssue;
      continue;
    }
    const valueIssue = firstIssue(configValueSchema.safeParse(value));
    if (valueIssue) {
      errors[row.id] = valueIssue;
      continue;
    }
    sets.push({ key, value, secret: row.secret });
    // Re-adding a key removed above replaces it: one change, and no unset that would undo the set.
    const replaced = rows.find((r) => r.original?.key === key && r.removed)?.original;
    changes.push(
      replaced
        ? {
            type: 'changed',
            key,
            secret: row.secret,
            ...(replaced.value !== undefined ? { before: replaced.value } : {}),
            after: value,
            wasSecret: replaced.secret,
          }
        : { type: 'added', key, secret: row.secret, value },
    );
  }

  return { changes, sets, unsets, errors };
}

/** How a change reads in the review list; secret values are never shown, old or new. */
export function describeChange(change: ConfigChange): string {
  switch (change.type) {
    case 'added':
      return change.secret ? `${change.key} added (secret)` : `${change.key} added: ${change.value}`;
    case 'removed':
      return `${change.key} removed`;
    case 'changed':
      if (change.secret || change.wasSecret) return `${change.key} (secret changed)`;
      return `${change.key}: ${change.before ?? ''} → ${change.after}`;
  }
}
