// The workspace file (home/workspace.json): the pipelines and where their environments run.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';
import { damagedFile } from '../util/storage-error.js';
import {
  activityStoreSchema,
  pipelineSchema,
  type ActivityStoreSetting,
  type Pipeline,
  type Target,
} from '../../shared/model.js';

const workspaceFileSchema = z.object({
  version: z.literal(1),
  pipelines: z.array(pipelineSchema),
  activity: activityStoreSchema.optional(),
});
type WorkspaceFile = z.infer<typeof workspaceFileSchema>;
/** Just enough of the file's shape to find an environment's target in the JSON as written. */
interface RawWorkspace {
  pipelines: { name: string; environments: { name: string; target: Record<string, unknown> }[] }[];
}

export interface WorkspaceStore {
  readonly home: string;
  list(): Promise<Pipeline[]>;
  get(name: string): Promise<Pipeline>;
  create(pipeline: Pipeline): Promise<Pipeline>;
  activityStore(): Promise<ActivityStoreSetting>;
  setActivityStore(setting: ActivityStoreSetting): Promise<void>;
  /**
   * Changes one environment's target under the lock. `change` sees the target as saved (defaults filled
   * in) and may throw to refuse; only the fields it changed are written, the rest of the file stays as it was.
   */
  updateTarget(
    pipeline: string,
    environment: string,
    change: (target: Target) => Target,
  ): Promise<{ before: Target; after: Target }>;
}

export interface OpenWorkspaceOptions {
  /** Makes the first pipeline(s) of a brand-new workspace (the demo). */
  readonly seed?: (home: string) => Promise<Pipeline[]>;
}

export async function openWorkspace(home: string, options: OpenWorkspaceOptions = {}): Promise<WorkspaceStore> {
  const file = join(home, 'workspace.json');
  await mkdir(home, { recursive: true });
  // Left by a process killed mid-write (this file's, the team file's, server.json's): its writer is gone.
  await removeOrphanTemps([home]);

  const read = async (): Promise<WorkspaceFile | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const fix = 'Restore it from a backup, or move it away and Slipway starts a new workspace with the demo pipeline.';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw damagedFile(file, error, fix);
    }
    const parsed = workspaceFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw damagedFile(file, parsed.error, `${issue?.path.join('.') || 'its content'}: ${issue?.message}. ${fix}`);
    }
    return parsed.data;
  };

  // Temp file + rename: a crash mid-write never leaves half a workspace file.
  const write = async (data: WorkspaceFile): Promise<void> => {
    const tmp = `${file}${tempSuffix()}`;
    try {
      await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true }); // a full disk must not leave half a file behind
      throw error;
    }
  };

  // Several processes (window, CLI) may open the same home at once: changes happen under a lock.
  const locked = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lockfile.lock(home, {
      lockfilePath: join(home, 'workspace.lock'),
      retries: { retries: 100, minTimeout: 50, maxTimeout: 500 },
      stale: 60_000,
    });
    try {
      return await work();
    } finally {
      await release();
    }
  };

  if ((await read()) === undefined) {
    await locked(async () => {
      if ((await read()) !== undefined) return;
      const pipelines = options.seed ? await options.seed(home) : [];
      await write({ version: 1, pipelines });
    });
  }

  const store: WorkspaceStore = {
    home,
    async list() {
      return (await read())?.pipelines ?? [];
    },
    async get(name) {
      const pipeline = (await store.list()).find((p) => p.name === name);
      if (!pipeline) {
        const known = (await store.list()).map((p) => p.name).join(', ') || 'none yet';
        throw new AppError('NOT_FOUND', `There is no pipeline named "${name}". Pipelines: ${known}.`);
      }
      return pipeline;
    },
    async create(pipeline) {
      return locked(async () => {
        const data = (await read()) ?? { version: 1 as const, pipelines: [] };
        if (data.pipelines.some((p) => p.name === pipeline.name)) {
          throw new AppError('CONFLICT', `A pipeline named "${pipeline.name}" already exists. Pick another name.`);
        }
        const names = new Set<string>();
        for (const env of pipeline.environments) {
          if (names.has(env.name))
            throw new AppError('INVALID_INPUT', `Environment "${env.name}" appears twice in the pipeline.`);
          names.add(env.name);
        }
        checkLocalPorts(pipeline, data.pipelines);
        await write({ ...data, pipelines: [...data.pipelines, pipeline] });
        return pipeline;
      });
    },
    async activityStore() {
      return (await read())?.activity ?? { kind: 'folder' };
    },
    async updateTarget(pipelineName, environmentName, change) {
      return locked(async () => {
        const pipeline =
          (await read())?.pipelines.find((p) => p.name === pipelineName) ?? (await store.get(pipelineName));
        const before = findEnvironment(pipeline, environmentName).target;
        const after = change(before);
        // The file as written, not as parsed: defaults the schema filled in elsewhere stay implicit.
        const raw = JSON.parse(await readFile(file, 'utf8')) as RawWorkspace;
        const rawTarget = raw.pipelines
          .find((p) => p.name === pipelineName)
          ?.environments.find((e) => e.name === environmentName)?.target;
        if (!rawTarget) throw new AppError('CONFLICT', 'The workspace file changed while it was read. Try again.');
        const previous: Record<string, unknown> = before;
        let changed = false;
        for (const [key, value] of Object.entries(after)) {
          if (JSON.stringify(value) === JSON.stringify(previous[key])) continue;
          rawTarget[key] = value;
          changed = true;
        }
        // Written as read apart from that one target; the raw shape passed the schema above.
        if (changed) await write(raw as unknown as WorkspaceFile);
        return { before, after };
      });
    },
    async setActivityStore(setting) {
      await locked(async () => {
        const data = (await read()) ?? { version: 1 as const, pipelines: [] };
        await write({ ...data, activity: setting });
      });
    },
  };
  return store;
}

/** The lowest port a local environment may take: below it the proxy would need root. */
export const MIN_LOCAL_PORT = 1024;

/** A local environment's proxy port must be unprivileged and used once across the workspace. */
function checkLocalPorts(pipeline: Pipeline, existing: readonly Pipeline[]): void {
  const used = new Map<number, string>();
  for (const other of existing)
    for (const env of other.environments)
      if (env.target.provider === 'local') used.set(env.target.port, `${other.name}/${env.name}`);
  const mine = new Map<number, string>();
  for (const env of pipeline.environments) {
    if (env.target.provider !== 'local') continue;
    const { port } = env.target;
    if (port < MIN_LOCAL_PORT) {
      throw new AppError(
        'INVALID_INPUT',
        `Port ${port} of ${env.name} is privileged; pick a port from ${MIN_LOCAL_PORT} to 65535.`,
      );
    }
    const owner = used.get(port);
    if (owner !== undefined) {
      throw new AppError('CONFLICT', `Port ${port} of ${env.name} is already used by ${owner}; pick another port.`);
    }
    const sibling = mine.get(port);
    if (sibling !== undefined) {
      throw new AppError(
        'INVALID_INPUT',
        `Port ${port} is given to both ${sibling} and ${env.name}; give each its own.`,
      );
    }
    mine.set(port, env.name);
  }
}

export function findEnvironment(pipeline: Pipeline, name: string): Pipeline['environments'][number] {
  const environment = pipeline.environments.find((e) => e.name === name);
  if (!environment) {
    const known = pipeline.environments.map((e) => e.name).join(', ');
    throw new AppError(
      'NOT_FOUND',
      `Pipeline "${pipeline.name}" has no environment "${name}". Environments: ${known}.`,
    );
  }
  return environment;
}
