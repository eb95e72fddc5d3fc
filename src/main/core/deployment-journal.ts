// Deployments written to SLIPWAY_HOME/deployments/, one file each, so every Slipway on the machine
// (the window, `serve`, a CLI deploy in a terminal) sees the others' deploys as they run and queue.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { deploymentSchema, type Deployment } from '../../shared/model.js';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { reportUnexpectedError } from '../util/unexpected-error.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';

const entrySchema = z.object({ pid: z.number().int(), deployment: deploymentSchema });
const KEEP = 200;
const MAX_AGE_MS = 7 * 24 * 3600_000;
const WRITE_EVERY_MS = 100;

const finished = (d: Deployment): boolean => d.status === 'succeeded' || d.status === 'failed';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A deploy whose process is gone will never finish: show it as what it became. */
function settle(entry: z.infer<typeof entrySchema>): Deployment {
  const { deployment, pid } = entry;
  if (finished(deployment) || isAlive(pid)) return deployment;
  return {
    ...deployment,
    status: 'failed',
    error: { code: 'DEPLOY_FAILED', message: 'The Slipway process running this deploy stopped before it finished.' },
  };
}

interface Slot {
  deployment: Deployment;
  timer: NodeJS.Timeout | undefined;
  writing: Promise<void>;
}

export class DeploymentJournal {
  private started: Promise<void> | undefined;
  /** A full or read-only disk fails every write: logged once until a write succeeds again. */
  private failing = false;
  private readonly writes = new Set<Promise<void>>();
  private readonly pending = new Map<
    string,
    { deployment: Deployment; timer: NodeJS.Timeout | undefined; writing: Promise<void> }
  >();

  constructor(
    private readonly folder: string,
    private readonly pid = process.pid,
  ) {}

  /**
   * The journal of a home, without what a process killed mid-write left in it: every command opens it
   * this way, so none is left whatever it does next (one listing of a folder the prune keeps small).
   */
  static async open(folder: string): Promise<DeploymentJournal> {
    await removeOrphanTemps([folder]);
    return new DeploymentJournal(folder);
  }

  /** Made on first use: a CLI command that never touches deployments pays nothing for the folder. */
  private get ready(): Promise<void> {
    this.started ??= mkdir(this.folder, { recursive: true }).then(() => this.prune());
    return this.started;
  }

  /** Record a change; bursts (build output) are written at most every 100 ms, final states at once. */
  record(deployment: Deployment): Promise<void> {
    let slot = this.pending.get(deployment.id);
    if (!slot) {
      slot = { deployment, timer: undefined, writing: Promise.resolve() };
      this.pending.set(deployment.id, slot);
    }
    slot.deployment = deployment;
    if (finished(deployment)) return this.writeNow(slot);
    const waiting = slot;
    waiting.timer ??= setTimeout(() => void this.writeNow(waiting), WRITE_EVERY_MS);
    return waiting.writing;
  }

  private writeNow(slot: Slot): Promise<void> {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    const snapshot = slot.deployment;
    const writing = slot.writing
      .then(() => this.write(snapshot))
      .then(
        () => {
          this.failing = false;
        },
        (error: unknown) => {
          // The deploy itself goes on: other processes just do not see its progress until writes work again.
          if (this.failing) return;
          this.failing = true;
          reportUnexpectedError(`could not record deployment ${snapshot.id} in ${this.folder}`, error);
        },
      );
    slot.writing = writing;
    this.writes.add(writing);
    void writing.then(() => this.writes.delete(writing));
    if (finished(snapshot)) this.pending.delete(snapshot.id);
    return writing;
  }

  async list(): Promise<{ deployment: Deployment; pid: number }[]> {
    await this.ready;
    const names = (await readdir(this.folder)).filter((name) => name.endsWith('.json'));
    const entries = await Promise.all(names.map((name) => this.read(name)));
    return entries.filter((e) => e !== undefined).map((e) => ({ deployment: settle(e), pid: e.pid }));
  }

  /** Changes written by other processes. */
  watch(listener: (deployment: Deployment) => void): Disposable {
    let watcher: FSWatcher | undefined;
    let closed = false;
    const onChange = (_event: string, name: string | null): void => {
      if (!name || !name.endsWith('.json')) return;
      void this.read(name).then((entry) => {
        if (entry && entry.pid !== this.pid && !closed) listener(settle(entry));
      });
    };
    this.ready.then(
      () => {
        if (closed) return;
        // Out of inotify watches (ENOSPC) or a folder gone: other processes' deploys then show up on the
        // next list instead of live, and this process keeps running.
        try {
          watcher = watch(this.folder, onChange);
          watcher.on('error', () => watcher?.close());
        } catch {
          watcher = undefined;
        }
      },
      () => undefined,
    ); // the folder cannot be made: the failed writes are what gets logged
    return toDisposable(() => {
      closed = true;
      watcher?.close();
    });
  }

  /** Waits for every write in flight (tests, shutdown). */
  async flush(): Promise<void> {
    for (const slot of this.pending.values()) if (slot.timer) void this.writeNow(slot);
    await Promise.all([...this.writes]);
  }

  private async write(deployment: Deployment): Promise<void> {
    await this.ready;
    const file = join(this.folder, `${deployment.id}.json`);
    const tmp = join(this.folder, `.${deployment.id}${tempSuffix()}`);
    // Checked before it is written: an entry readers would drop must fail here, where it is logged.
    const entry = entrySchema.parse({ pid: this.pid, deployment });
    try {
      await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
      await rename(tmp, file);
    } catch (error) {
      await unlink(tmp).catch(() => undefined); // a full disk must not keep half a file
      throw error;
    }
  }

  private async read(name: string): Promise<z.infer<typeof entrySchema> | undefined> {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(await readFile(join(this.folder, name), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // being replaced right now, or removed by a prune
    }
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.folder)).filter((name) => name.endsWith('.json'));
    const dated = await Promise.all(
      names.map(async (name) => ({
        name,
        mtime: (await stat(join(this.folder, name)).catch(() => undefined))?.mtimeMs ?? 0,
      })),
    );
    dated.sort((a, b) => b.mtime - a.mtime);
    const now = Date.now();
    const old = dated.filter((entry, index) => index >= KEEP || now - entry.mtime > MAX_AGE_MS);
    await Promise.all(old.map((entry) => unlink(join(this.folder, entry.name)).catch(() => undefined)));
  }
}
