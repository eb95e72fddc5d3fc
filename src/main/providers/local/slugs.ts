// A slug is the app at one commit, built once: `slugs/<sha>/`. Deploys, promotions and rollbacks of
// that commit all run the same folder, so nothing is ever rebuilt.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { Artifact } from '../../../shared/model.js';
import type { Reporter } from '../provider.js';
import { childEnv } from './child-env.js';
import { isErrno } from './files.js';
import { exportCommit } from './git.js';
import { readManifest } from './manifest.js';
import { slugsDir } from './paths.js';
import { runCommand } from './run-command.js';

export const slugPath = (home: string, sha: string): string => join(slugsDir(home), sha);

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

/** The folder a release runs from; NOT_FOUND when its slug is gone (the workspace was cleaned). */
export async function slugDirFor(home: string, artifact: Artifact): Promise<string> {
  if (artifact.kind !== 'slug') {
    throw new AppError(
      'INVALID_INPUT',
      'This release runs container images; the local provider can only run slugs built from git commits.',
    );
  }
  const dir = slugPath(home, artifact.sha);
  if (!(await exists(dir))) {
    throw new AppError(
      'NOT_FOUND',
      `The slug for commit ${artifact.sha.slice(0, 7)} is missing from ${slugsDir(home)}. Deploy the commit again to rebuild it.`,
    );
  }
  return dir;
}

export class SlugBuilder {
  // Two deploys of one commit in this process share one build.
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly home: string) {}

  async ensure(repo: string, sha: string, reporter: Reporter): Promise<string> {
    const dir = slugPath(this.home, sha);
    if (await exists(dir)) {
      reporter.log(`Reusing the slug already built for ${sha.slice(0, 7)}`);
      return dir;
    }
    const running = this.inFlight.get(sha);
    if (running) return running;
    const build = this.build(repo, sha, reporter).finally(() => this.inFlight.delete(sha));
    this.inFlight.set(sha, build);
    return build;
  }

  private async build(repo: string, sha: string, reporter: Reporter): Promise<string> {
    const short = sha.slice(0, 7);
    const dir = slugPath(this.home, sha);
    // Built next to its final place so the rename is atomic: a slug folder is complete or absent.
    const temp = join(slugsDir(this.home), `.build-${short}-${randomBytes(4).toString('hex')}`);
    // The core has opened the build step; this is its output.
    reporter.log(`Building a slug for ${short}; promotions and rollbacks will reuse it`);
    await mkdir(temp, { recursive: true });
    try {
      await exportCommit(repo, sha, temp);
      const manifest = await readManifest(temp, `commit ${short}`);
      if (manifest.build) {
        reporter.log(`$ ${manifest.build}`);
        const result = await runCommand(manifest.build, {
          cwd: temp,
          env: childEnv(undefined, { SOURCE_VERSION: sha, SLIPWAY_BUILD: '1' }),
          onLine: (line) => reporter.log(line),
        });
        if (result.exitCode !== 0) {
          const tail = result.tail.slice(-5).join(' | ');
          throw new AppError(
            'DEPLOY_FAILED',
            `The build command "${manifest.build}" failed for ${short} with exit code ${result.exitCode}${tail ? `: ${tail}` : ''}. Fix the build and deploy again.`,
          );
        }
      } else {
        reporter.log('No build command in slipway.json; the slug is the commit as is');
      }
      try {
        await rename(temp, dir);
      } catch (error) {
        // Another process finished the same commit first; its slug is as good as ours.
        if (!isErrno(error, 'ENOTEMPTY') && !isErrno(error, 'EEXIST')) throw error;
        reporter.log(`Another build of ${short} finished first; using it`);
      }
      reporter.log(`Slug ready: ${dir}`);
      return dir;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}
