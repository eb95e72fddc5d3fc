// The webhooks of this workspace and their secrets: SLIPWAY_HOME/webhooks/hooks.json, owner-only,
// replaced whole (temp + rename) under a lock so a window and a CLI never lose each other's changes.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { webhookSchema, type Webhook } from '../../shared/contract/webhooks.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';

const storedHookSchema = webhookSchema.extend({ secret: z.string() });
export type StoredHook = z.infer<typeof storedHookSchema>;
const fileSchema = z.object({ version: z.literal(1), hooks: z.array(storedHookSchema) });

export const publicHook = ({ secret: _secret, ...hook }: StoredHook): Webhook => hook;

export interface WebhookStore {
  readonly folder: string;
  list(): Promise<StoredHook[]>;
  /** Changes the list under the lock; `change` returns the new list. */
  update(change: (hooks: StoredHook[]) => StoredHook[]): Promise<StoredHook[]>;
}

export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`;

export function createWebhookStore(home: string): WebhookStore {
  const folder = join(home, 'webhooks');
  const file = join(folder, 'hooks.json');
  const ready = mkdir(folder, { recursive: true, mode: 0o700 }).then(() => removeOrphanTemps([folder]));

  const read = async (): Promise<StoredHook[]> => {
    await ready;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return fileSchema.parse(JSON.parse(text)).hooks;
  };

  return {
    folder,
    list: read,
    async update(change) {
      await ready;
      const release = await lockfile.lock(folder, {
        lockfilePath: join(folder, 'hooks.lock'),
        retries: { retries: 50, minTimeout: 20, maxTimeout: 200 },
        stale: 15_000,
      });
      try {
        const hooks = change(await read());
        const tmp = `${file}${tempSuffix()}`;
        await writeFile(tmp, `${JSON.stringify({ version: 1, hooks }, null, 2)}\n`, { mode: 0o600 });
        await rename(tmp, file);
        return hooks;
      } finally {
        await release();
      }
    },
  };
}
