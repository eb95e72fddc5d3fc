import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitsBetween, diffBetween, githubCompareUrl, hasCommit, recentCommits } from './git.js';

let repo: string;
const shas: string[] = [];
const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'slipway-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  for (const [i, text] of ['hello', 'hello world', 'hello, world!'].entries()) {
    await writeFile(join(repo, 'app.txt'), `${text}\n`);
    git('add', '.');
    git('commit', '-qm', `change ${i + 1}`);
    shas.push(git('rev-parse', 'HEAD'));
  }
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('git reads', () => {
  it('lists the commits a promote would ship, newest first', async () => {
    const commits = await commitsBetween(repo, shas[0], shas[2]!);
    expect(commits.map((c) => c.subject)).toEqual(['change 3', 'change 2']);
    expect(commits[0]).toMatchObject({ sha: shas[2], author: 'Dev', email: 'dev@example.com' });
  });

  it('shows the file diff between two commits', async () => {
    const { diff, truncated } = await diffBetween(repo, shas[0], shas[2]!);
    expect(truncated).toBe(false);
    expect(diff).toContain('diff --git a/app.txt b/app.txt');
    expect(diff).toContain('-hello\n+hello, world!');
  });

  it('reads recent commits and knows which commits exist', async () => {
    expect((await recentCommits(repo, 2)).map((c) => c.subject)).toEqual(['change 3', 'change 2']);
    expect(await hasCommit(repo, shas[1]!)).toBe(true);
    expect(await hasCommit(repo, 'deadbeefdeadbeef')).toBe(false);
  });

  it('never passes something that is not a SHA to git', async () => {
    expect(await commitsBetween(repo, '--output=/tmp/x', shas[2]!)).toEqual([]);
    expect(await hasCommit(repo, '--help')).toBe(false);
  });

  it('makes a GitHub compare link from an https or ssh origin, and none otherwise', async () => {
    expect(await githubCompareUrl(repo, shas[0], shas[2]!)).toBeUndefined();
    git('remote', 'add', 'origin', 'git@github.com:acme/shop.git');
    expect(await githubCompareUrl(repo, 'aaa1111', 'bbb2222')).toBe(
      'https://github.com/acme/shop/compare/aaa1111...bbb2222',
    );
    git('remote', 'set-url', 'origin', 'https://github.com/acme/shop');
    expect(await githubCompareUrl(repo, 'aaa1111', 'bbb2222')).toBe(
      'https://github.com/acme/shop/compare/aaa1111...bbb2222',
    );
    git('remote', 'set-url', 'origin', 'https://gitlab.com/acme/shop.git');
    expect(await githubCompareUrl(repo, 'aaa1111', 'bbb2222')).toBeUndefined();
  });
});
