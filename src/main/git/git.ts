// Reads commits and diffs from a pipeline's local clone. Arguments are passed as an array (no shell),
// and SHAs are checked first so nothing user-typed can become a git option.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../../shared/errors.js';
import type { Commit } from '../../shared/model.js';

const run = promisify(execFile);
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const FIELD = '\x1f';
const RECORD = '\x1e';
const MAX_DIFF_BYTES = 512 * 1024;

async function git(repo: string, args: string[], maxBuffer = 8 * 1024 * 1024): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, '-c', 'core.quotepath=off', '--no-pager', ...args], {
      maxBuffer,
      timeout: 20_000,
    });
    return stdout;
  } catch (error) {
    throw new AppError('PROVIDER_UNAVAILABLE', `git could not read the repository at ${repo}.`, { cause: error });
  }
}

const isSha = (value: string): boolean => /^[0-9a-f]{7,40}$/.test(value);

function parseLog(stdout: string): Commit[] {
  return stdout
    .split(RECORD)
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [sha = '', shortSha = '', author = '', email = '', date = '', subject = ''] = record.split(FIELD);
      return { sha, shortSha, author, email, date, subject };
    });
}

const LOG_FORMAT = `--format=${['%H', '%h', '%an', '%ae', '%aI', '%s'].join('%x1f')}%x1e`;

export async function recentCommits(repo: string, limit: number): Promise<Commit[]> {
  return parseLog(await git(repo, ['log', LOG_FORMAT, '-n', String(limit), 'HEAD']));
}

/** Commits reachable from `to` but not from `from`, newest first. No `from`: everything up to `to`. */
export async function commitsBetween(
  repo: string,
  from: string | undefined,
  to: string,
  limit = 200,
): Promise<Commit[]> {
  if (!isSha(to) || (from !== undefined && !isSha(from))) return [];
  const range = from ? `${from}..${to}` : to;
  return parseLog(await git(repo, ['log', LOG_FORMAT, '-n', String(limit), range]));
}

export async function diffBetween(
  repo: string,
  from: string | undefined,
  to: string,
): Promise<{ diff: string; truncated: boolean }> {
  if (!isSha(to) || (from !== undefined && !isSha(from))) return { diff: '', truncated: false };
  const stdout = await git(repo, ['diff', '--no-color', '--no-ext-diff', from ?? EMPTY_TREE, to], 64 * 1024 * 1024);
  if (Buffer.byteLength(stdout) <= MAX_DIFF_BYTES) return { diff: stdout, truncated: false };
  // Cut at a file boundary so the diff view can still parse what is left.
  const head = stdout.slice(0, MAX_DIFF_BYTES);
  const cut = head.lastIndexOf('\ndiff --git ');
  return { diff: cut > 0 ? head.slice(0, cut + 1) : head, truncated: true };
}

export async function hasCommit(repo: string, sha: string): Promise<boolean> {
  if (!isSha(sha)) return false;
  try {
    await run('git', ['-C', repo, 'cat-file', '-e', `${sha}^{commit}`], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** `https://github.com/owner/repo/compare/a...b` when origin is on GitHub (https or ssh form). */
export async function githubCompareUrl(
  repo: string,
  from: string | undefined,
  to: string,
): Promise<string | undefined> {
  if (!from) return undefined;
  let remote: string;
  try {
    const { stdout } = await run('git', ['-C', repo, 'remote', 'get-url', 'origin'], { timeout: 10_000 });
    remote = stdout.trim();
  } catch {
    return undefined;
  }
  const match = /github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(remote);
  if (!match) return undefined;
  return `https://github.com/${match[1]}/${match[2]}/compare/${from}...${to}`;
}
