// Helpers shared by the local provider's tests: a throwaway workspace with the demo pipeline.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pipelineSchema, type Environment, type Pipeline } from '../../../shared/model.js';
import { createDemoPipeline } from '../../workspace/demo.js';
import type { EnvironmentContext } from '../provider.js';
import { freePort } from './processes.js';
import { stopAllLocal } from './stop.js';

const run = promisify(execFile);

export interface TestWorkspace {
  readonly home: string;
  readonly pipeline: Pipeline;
  ctx(environment: string, target?: Partial<Extract<Environment['target'], { provider: 'local' }>>): EnvironmentContext;
  dispose(): Promise<void>;
}

export async function createTestWorkspace(): Promise<TestWorkspace> {
  const home = await mkdtemp(join(tmpdir(), 'slipway-local-'));
  const pipeline = await createDemoPipeline(home);
  return {
    home,
    pipeline,
    ctx(name, target = {}) {
      const environment = pipeline.environments.find((candidate) => candidate.name === name);
      if (!environment || environment.target.provider !== 'local') throw new Error(`no local environment ${name}`);
      // Short timings keep failing cases quick; the app itself is the real demo app.
      const merged = {
        ...environment.target,
        graceMs: 2_000,
        healthCheck: { ...environment.target.healthCheck, retries: 15, intervalMs: 100 },
        ...target,
      };
      return { pipeline, environment: { ...environment, target: merged } };
    },
    async dispose() {
      await stopAllLocal(home);
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.json();
}

/** A throwaway git repo with the given files committed; returns its path. */
export async function createAppRepo(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
  await commitFiles(dir, files, 'Initial commit');
  return dir;
}

export async function commitFiles(repo: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [file, text] of Object.entries(files)) await writeFile(join(repo, file), text);
  await git(repo, ['add', '--all']);
  await git(repo, ['commit', '--quiet', '-m', message]);
  return (await git(repo, ['rev-parse', 'HEAD'])).trim();
}

async function git(repo: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', [
    '-C',
    repo,
    '-c',
    'user.name=Test',
    '-c',
    'user.email=test@example.com',
    '-c',
    'commit.gpgsign=false',
    ...args,
  ]);
  return stdout;
}

/** A local environment on a free port with short timings, so failing cases are quick. */
async function quickEnvironment(name: string, target: Record<string, unknown>): Promise<Record<string, unknown>> {
  return {
    name,
    target: {
      provider: 'local',
      port: await freePort(),
      instances: 1,
      graceMs: 500,
      healthCheck: { path: '/', intervalMs: 100, timeoutMs: 1_000, retries: 15 },
      ...target,
    },
  };
}

/** A pipeline with one local environment on a free port, for a custom app repo. */
export async function customContext(
  repo: string,
  target: Record<string, unknown> = {},
  releaseCommand?: string,
): Promise<EnvironmentContext> {
  const pipeline = pipelineSchema.parse({
    name: 'custom',
    repo,
    releaseCommand,
    environments: [await quickEnvironment('staging', target), await quickEnvironment('production', target)],
  });
  const [environment] = pipeline.environments;
  if (!environment) throw new Error('no environment');
  return { pipeline, environment };
}

export const otherEnvironment = (ctx: EnvironmentContext, name: string): EnvironmentContext => {
  const environment = ctx.pipeline.environments.find((candidate) => candidate.name === name);
  if (!environment) throw new Error(`no environment ${name}`);
  return { pipeline: ctx.pipeline, environment };
};

export const noSignal = (): AbortSignal => new AbortController().signal;

/** Pids of processes whose command line mentions `text` (to prove nothing was left running). */
export async function processesMentioning(text: string): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
