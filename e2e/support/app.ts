// What the specs read off the window and the workspace, in one place.
import type { Locator, Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CliResult } from './server.js';

export const PIPELINE = 'demo';
const git = (args: string[]) => promisify(execFile)('git', args);

export interface StepSeen {
  readonly name: string;
  readonly status: string;
}

const recorderPath = new URL('./progress-recorder.js', import.meta.url).pathname;

/** From now on, every deploy step the page renders is noted (read them with `stepsSeen`). */
export async function recordProgress(page: Page): Promise<void> {
  await page.addInitScript({ path: recorderPath });
}

/** The deploy steps of `environment` the window has shown since the page loaded, in order. */
export async function stepsSeen(page: Page, environment: string): Promise<StepSeen[]> {
  const entries = (await page.evaluate('window.__slipwaySteps ?? []')) as string[];
  return entries
    .map((entry) => entry.split('|'))
    .filter(([env]) => env === environment)
    .map(([, name = '', status = '']) => ({ name, status }));
}

export const environmentCard = (page: Page, environment: string): Locator => page.getByTestId(`env-${environment}`);

/** The link a person would click to reach the environment, as its URL. */
export async function environmentUrl(page: Page, environment: string): Promise<string> {
  const href = await page.getByTestId(`env-${environment}-url`).getAttribute('href');
  if (!href) throw new Error(`${environment} shows no URL`);
  return href;
}

interface ReleaseRow {
  readonly version: number;
  readonly kind: string;
  readonly sha?: string;
  readonly current: boolean;
  readonly status: string;
}

/** `slipway releases demo --env ENV --json`, reduced to what the specs compare. */
export async function releasesOf(
  cli: (...args: string[]) => Promise<CliResult>,
  environment: string,
): Promise<ReleaseRow[]> {
  const result = await cli('releases', PIPELINE, '--env', environment, '--json');
  if (result.code !== 0) throw new Error(`slipway releases failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as ReleaseRow[]).map(({ version, kind, sha, current, status }) => ({
    version,
    kind,
    ...(sha === undefined ? {} : { sha }),
    current,
    status,
  }));
}

export interface DemoCommit {
  readonly sha: string;
  readonly subject: string;
}

/** The demo repo's commits, newest first, read with git itself rather than through Slipway. */
export async function demoCommits(home: string): Promise<DemoCommit[]> {
  const { stdout } = await git(['-C', join(home, 'repos', PIPELINE), 'log', '--format=%H%x09%s']);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [sha = '', subject = ''] = line.split('\t');
      return { sha, subject };
    });
}
