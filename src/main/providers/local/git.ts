// The git commands the local provider needs: resolve a ref, export a commit.
import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/errors.js';

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function git(repo: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) =>
      reject(
        new AppError('PROVIDER_UNAVAILABLE', 'git could not be run. Install git and make sure it is on the PATH.', {
          cause: error,
        }),
      ),
    );
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A ref (branch, tag, short or full SHA) → the full commit SHA. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  const trimmed = ref.trim();
  // A leading dash would be read as an option.
  if (trimmed === '' || trimmed.startsWith('-') || /[\s\0]/.test(trimmed)) {
    throw new AppError('INVALID_INPUT', `"${ref}" is not a git ref. Name a branch, tag or commit SHA.`);
  }
  const result = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${trimmed}^{commit}`]);
  const sha = result.stdout.trim();
  if (result.code !== 0 || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new AppError(
      'INVALID_INPUT',
      `The ref "${trimmed}" is not a commit in ${repo}. Check the branch, tag or SHA and try again.`,
      {
        details: { ref: trimmed },
      },
    );
  }
  return sha;
}

/** Export the files of a commit into `dest` (an existing empty folder), like a clean checkout. */
export function exportCommit(repo: string, sha: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['-C', repo, 'archive', '--format=tar', sha], { stdio: ['ignore', 'pipe', 'pipe'] });
    const untar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    untar.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    archive.stdout.pipe(untar.stdin);
    const failed = (error: unknown): void =>
      reject(
        new AppError('PROVIDER_UNAVAILABLE', 'git and tar are needed to build slugs; make sure both are installed.', {
          cause: error,
        }),
      );
    archive.once('error', failed);
    untar.once('error', failed);
    // Both must have exited: tar can close before git's own 'close' arrives, so neither order is assumed.
    const closed = (child: typeof archive | typeof untar): Promise<number | null> =>
      new Promise((done) => child.once('close', (code) => done(code)));
    void Promise.all([closed(archive), closed(untar)]).then(([archiveCode, untarCode]) => {
      if (archiveCode === 0 && untarCode === 0) resolve();
      else if (/No space left on device|Disk quota exceeded/.test(errors))
        reject(
          new AppError(
            'STORAGE',
            `Could not export commit ${sha.slice(0, 7)} into ${dest}: the disk is full (ENOSPC). Free some space, then try again.`,
            { details: { file: dest } },
          ),
        );
      else
        reject(
          new AppError(
            'DEPLOY_FAILED',
            `Could not export commit ${sha.slice(0, 7)}: ${errors.trim() || `exit code ${archiveCode === 0 ? untarCode : archiveCode}`}`,
          ),
        );
    });
  });
}
