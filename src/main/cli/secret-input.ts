// Values for `config:set … --secret KEY`: from --from-file, else a hidden prompt on a terminal, else
// stdin, so a secret never sits in the command line, `ps` or the shell's history. KEY=VALUE still works.
import { readFile } from 'node:fs/promises';
import { configKeySchema } from '../../shared/contract/config.js';
import { parseAssignments } from './args.js';
import type { CliIo } from './io.js';
import { UsageError } from './spec.js';

export async function secretAssignments(
  items: readonly string[],
  fromFile: string | undefined,
  io: CliIo,
): Promise<{ key: string; value: string }[]> {
  const bare = items.filter((item) => !item.includes('='));
  if (bare.length === 0 && fromFile === undefined) return parseAssignments(items);
  if (fromFile !== undefined && (items.length !== 1 || bare.length !== 1))
    throw new UsageError(
      '--from-file takes exactly one KEY (no =VALUE).',
      'Example: slipway config:set shop --env production --secret STRIPE_KEY --from-file key.txt',
    );
  const read: { key: string; value: string }[] = [];
  for (const key of bare) {
    const valid = configKeySchema.safeParse(key);
    if (!valid.success) throw new UsageError(`"${key}" is not a config key: ${valid.error.issues[0]?.message}.`);
    let value: string | undefined;
    if (fromFile !== undefined) {
      try {
        value = (await readFile(fromFile, 'utf8')).replace(/\r?\n$/, '');
      } catch {
        throw new UsageError(`Could not read ${fromFile}.`, 'Give a file you can read with --from-file.');
      }
    } else {
      value = await io.ask(`Value of ${key} (not shown): `, { hidden: true });
    }
    if (!value) throw new UsageError(`No value was given for ${key}; nothing was changed.`);
    read.push({ key, value });
  }
  const assigned = items.filter((item) => item.includes('='));
  return [...(assigned.length > 0 ? parseAssignments(assigned) : []), ...read];
}
