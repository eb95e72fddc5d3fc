// Secret values stay in the main process: what leaves is key names and keyed hashes.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, PublicConfigVar, PublicRelease, Release } from '../../shared/model.js';

export type ValueHasher = (value: string) => string;

/** A keyed hash: plain sha256 of a short secret could be guessed; the key lives only in the workspace. */
export function createValueHasher(home: string): ValueHasher {
  const file = join(home, 'hash.key');
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch {
    key = randomBytes(32);
    try {
      writeFileSync(file, key, { flag: 'wx', mode: 0o600 });
    } catch {
      key = readFileSync(file); // another process won the race
    }
  }
  return (value) => createHmac('sha256', key).update(value).digest('hex').slice(0, 12);
}

export function toPublicConfig(config: Config, hash: ValueHasher): PublicConfigVar[] {
  return Object.entries(config)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { value, secret }]) =>
      secret ? { key, secret: true, hash: hash(value) } : { key, secret: false, value, hash: hash(value) },
    );
}

export function toPublicRelease(release: Release, hash: ValueHasher): PublicRelease {
  return { ...release, config: toPublicConfig(release.config, hash) };
}
