// Small parsers for what people type: `v3`, KEY=VALUE, counts, and "did you mean" hints.
import { UsageError } from './spec.js';
import { configKeySchema } from '../../shared/contract/config.js';

/** `v3`, `V3` or `3` → 3. */
export function parseVersion(text: string, what = 'version'): number {
  const match = /^[vV]?(\d{1,9})$/.exec(text.trim());
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new UsageError(`"${text}" is not a ${what}; write it as v3 (or 3).`);
  }
  return version;
}

export function parseCount(text: string, option: string, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${option} takes a whole number from 1 to ${max}; got "${text}".`);
  }
  return value;
}

export function parsePort(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(`--port takes a port number from 0 to 65535; got "${text}".`);
  }
  return value;
}

/** KEY=VALUE pairs; the value may contain `=` and may be empty. */
export function parseAssignments(items: readonly string[]): { key: string; value: string }[] {
  if (items.length === 0)
    throw new UsageError(
      'Give at least one KEY=VALUE.',
      'Example: slipway config:set shop --env staging LOG_LEVEL=debug',
    );
  const seen = new Set<string>();
  return items.map((item, index) => {
    const at = item.indexOf('=');
    if (at <= 0) {
      // Not echoed: a value typed without its KEY= may be a secret.
      throw new UsageError(`Argument ${index + 1} is not KEY=VALUE.`, 'Quote values with spaces: KEY="a b".');
    }
    const key = item.slice(0, at);
    const valid = configKeySchema.safeParse(key);
    if (!valid.success) throw new UsageError(`"${key}" is not a config key: ${valid.error.issues[0]?.message}.`);
    if (seen.has(key)) throw new UsageError(`${key} is given twice.`);
    seen.add(key);
    return { key, value: item.slice(at + 1) };
  });
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known word, when it is close enough to be what was meant. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: { word: string; score: number } | undefined;
  for (const candidate of known) {
    const score = distance(word, candidate);
    if (!best || score < best.score) best = { word: candidate, score };
  }
  return best && best.score <= Math.max(2, Math.floor(word.length / 3)) ? best.word : undefined;
}
