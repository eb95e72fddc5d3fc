// The embedded AuditStore: one JSON file per event in a folder, written with exclusive create.
import { watch as watchFolder } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditEventSchema, type AuditEvent } from '../../shared/model.js';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { auditKey, keyMatches } from './audit-keys.js';
import type { AuditFilter, AuditPage, AuditStore } from './audit-store.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';

export function createFsAuditStore(folder: string): AuditStore {
  // Events are written in .writing/ and renamed in, so readers never see half of one; a temp left by a
  // writer killed mid-write is removed when a store opens. Apart, so that sweep never lists every event.
  const writing = join(folder, '.writing');
  const ready = mkdir(writing, { recursive: true }).then(() => removeOrphanTemps([writing]));

  const readEvent = async (key: string): Promise<AuditEvent | undefined> => {
    try {
      const parsed = auditEventSchema.safeParse(JSON.parse(await readFile(join(folder, key), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // A file being written by another process right now; it shows up on the next read.
      return undefined;
    }
  };

  const listKeys = async (): Promise<string[]> => {
    await ready;
    return (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  };

  return {
    description: `folder ${folder}`,

    async append(event) {
      await ready;
      const data = `${JSON.stringify(auditEventSchema.parse(event))}\n`;
      // Write the content to a temp name first so readers never see half an event.
      const key = auditKey(event);
      const tmp = join(writing, `${key}${tempSuffix()}`);
      try {
        await mkdir(writing, { recursive: true }); // the folder may have been removed since it opened
        await writeFile(tmp, data, { flag: 'wx', mode: 0o600 });
        await rename(tmp, join(folder, key));
      } catch (error) {
        // A full disk leaves an empty or partial temp file: removed, so it never lingers.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(tmp, { force: true }).catch(() => undefined);
        throw error;
      }
    },

    async list(filter: AuditFilter & { limit: number; cursor?: string | undefined }): Promise<AuditPage> {
      const keys = (await listKeys()).filter(
        (key) => (filter.cursor ? key > filter.cursor : true) && keyMatches(key, filter),
      );
      const events: AuditEvent[] = [];
      let last: string | undefined;
      for (const key of keys) {
        if (events.length === filter.limit) break;
        const event = await readEvent(key);
        last = key;
        if (event) events.push(event);
      }
      const more = last !== undefined && keys.indexOf(last) < keys.length - 1;
      return { events, cursor: more ? last : undefined };
    },

    watch(listener) {
      const seen = new Set<string>();
      let watcher: ReturnType<typeof watchFolder> | undefined;
      let closed = false;
      const onChange = (_type: string, name: string | null): void => {
        if (!name || !name.endsWith('.json') || name.startsWith('.') || seen.has(name)) return;
        seen.add(name);
        void readEvent(name).then((event) => {
          if (event && !closed) listener(event);
        });
      };
      void ready.then(() => {
        if (closed) return;
        // Out of inotify watches (ENOSPC) or a folder gone: the feed then updates on its next read
        // instead of live, and the process keeps running.
        try {
          watcher = watchFolder(folder, onChange);
          watcher.on('error', () => watcher?.close());
        } catch {
          watcher = undefined;
        }
      });
      const disposable: Disposable = toDisposable(() => {
        closed = true;
        watcher?.close();
      });
      return disposable;
    },
  };
}
