// Stop what the local provider runs: one environment, or everything in a workspace.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentContext } from '../provider.js';
import { isErrno } from './files.js';
import { listInstanceRecords, removeInstanceRecord } from './instances.js';
import { environmentPaths, environmentPathsFor, pipelinesDir, type EnvironmentPaths } from './paths.js';
import { stopGroup } from './processes.js';
import { stopProxy } from './proxy-control.js';

async function stopPaths(paths: EnvironmentPaths, graceMs: number): Promise<void> {
  const records = await listInstanceRecords(paths);
  await Promise.all(
    records.map(async (record) => {
      await stopGroup(record.pid, 'SIGTERM', graceMs);
      await removeInstanceRecord(paths, record.id);
    }),
  );
  await stopProxy(paths);
  await rm(paths.serving, { force: true });
}

/** Stops an environment's instances and proxy. Its releases stay; recover or a deploy starts it again. */
export function stopEnvironment(home: string, ctx: EnvironmentContext, graceMs = 2_000): Promise<void> {
  return stopPaths(environmentPaths(home, ctx), graceMs);
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
}

/** Stops every local environment of the workspace at `home`. */
export async function stopAllLocal(home: string, graceMs = 2_000): Promise<void> {
  const root = pipelinesDir(home);
  const jobs: Promise<void>[] = [];
  for (const pipeline of await subfolders(root)) {
    for (const environment of await subfolders(join(root, pipeline))) {
      jobs.push(stopPaths(environmentPathsFor(home, pipeline, environment), graceMs));
    }
  }
  await Promise.all(jobs);
}
