// Nothing is lost while S3 is away: an activity event that cannot be written is put in a local spool
// (written and fsynced before the action returns), and uploaded in the order it was written once S3
// answers again. Each spooled event keeps the object key it was first tried under, and every upload is
// `If-None-Match: *`, so a write that reached S3 before its answer was lost is never written twice.
import { open, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { auditEventSchema, type AuditEvent } from '../../shared/model.js';
import { isAppError } from '../../shared/errors.js';
import { auditKey } from '../audit/audit-keys.js';
import type { AuditStore } from '../audit/audit-store.js';
import { isPreconditionFailed } from './s3-location.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';

const entrySchema = z.object({ key: z.string(), event: auditEventSchema });

export interface SpooledAuditStore extends AuditStore {
  /** Events written here and not yet uploaded (by any Slipway process of this home). */
  pending(): Promise<number>;
  /** Uploads what is spooled, oldest first; stops at the first event S3 will not take yet. */
  flush(): Promise<void>;
  dispose(): void;
}

export interface SpoolOptions {
  /** How often the spool tries S3 again while it holds events (default 3 s). */
  readonly retryMs?: number;
  readonly log: (message: string, error?: unknown) => void;
}

let counter = 0;

/** Written and on disk (file and folder entry) before it returns. */
async function writeDurably(folder: string, name: string, text: string): Promise<void> {
  const tmp = join(folder, `.${name}${tempSuffix()}`);
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, join(folder, name));
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export function createSpooledAuditStore(inner: AuditStore, folder: string, options: SpoolOptions): SpooledAuditStore {
  const ready = mkdir(folder, { recursive: true, mode: 0o700 }).then(() => removeOrphanTemps([folder]));
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let disposed = false;
  let warned = false;

  const names = async (): Promise<string[]> => {
    await ready;
    return (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  };

  const schedule = (): void => {
    if (disposed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void store.flush();
    }, options.retryMs ?? 3_000);
    timer.unref();
  };

  const uploadAll = async (): Promise<void> => {
    for (const name of await names()) {
      let entry;
      try {
        entry = entrySchema.parse(JSON.parse(await readFile(join(folder, name), 'utf8')));
      } catch (error) {
        // Another process uploaded and removed it just now, or it cannot be read: keep it, loudly.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        options.log(`the spooled activity event ${join(folder, name)} cannot be read; it is kept there`, error);
        await rename(join(folder, name), join(folder, `${name}.unreadable`)).catch(() => undefined);
        continue;
      }
      try {
        await inner.append(entry.event, entry.key);
      } catch (error) {
        const cause = isAppError(error) ? error.cause : error;
        // Already there: an earlier try reached S3 even though its answer did not come back.
        if (!isPreconditionFailed(cause)) {
          schedule();
          return;
        }
      }
      await unlink(join(folder, name)).catch(() => undefined);
    }
    if (warned) options.log('the team bucket answers again: every spooled activity event is uploaded');
    warned = false;
  };

  const store: SpooledAuditStore = {
    description: inner.description,
    list: (filter) => inner.list(filter),
    watch: (listener) => inner.watch(listener),

    async append(event: AuditEvent) {
      const key = auditKey(event);
      // Behind events already waiting, a new one waits too: the feed is uploaded in order.
      if ((await names()).length === 0) {
        try {
          await inner.append(event, key);
          return;
        } catch (error) {
          const cause = isAppError(error) ? error.cause : error;
          if (isPreconditionFailed(cause)) return;
          if (!warned) options.log('the team bucket cannot be reached; activity is kept locally until it can', error);
          warned = true;
        }
      }
      const name = `${String(Date.now()).padStart(13, '0')}_${String(counter++ % 1e6).padStart(6, '0')}_${process.pid}_${event.id}.json`;
      await writeDurably(folder, name, JSON.stringify({ key, event }));
      schedule();
    },

    pending: async () => (await names()).length,

    flush() {
      flushing ??= uploadAll().finally(() => (flushing = undefined));
      return flushing;
    },

    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
  // Events another run left behind go up as soon as S3 answers.
  void store
    .pending()
    .then((n) => (n > 0 ? store.flush() : undefined))
    .catch((error: unknown) => options.log('could not read the activity spool', error));
  return store;
}
