// Aborting a deploy while its slug builds: no release is made, and the build is kept for next time.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import type { Deployment, Release } from '../../shared/model.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';

let home: string;
let services: Services;
const call = (name: string, input: unknown): Promise<Result<unknown>> =>
  services.router.call(name, input, { transport: 'cli' });

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-abort-build-'));
  services = await createServices({ home });
  // A build that takes a while: long enough to abort while it runs.
  const repo = join(home, 'repos', 'demo');
  const manifest = JSON.parse(await readFile(join(repo, 'slipway.json'), 'utf8')) as Record<string, unknown>;
  manifest.build = `node -e "setTimeout(() => {}, 1500)" && ${String(manifest.build)}`;
  await writeFile(join(repo, 'slipway.json'), JSON.stringify(manifest));
  const git = (...args: string[]): void =>
    void execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args]);
  git('commit', '-qam', 'Slow build');
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

it('stops waiting for the build, makes no release, and the next deploy of the commit succeeds', async () => {
  const deploying = call('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' });
  await expect
    .poll(async () => {
      const listed = (await call('deployments.list', { pipeline: 'demo' })) as Result<Deployment[]>;
      return listed.ok ? listed.value[0]?.steps.at(-1)?.output?.some((line) => line.startsWith('$ node -e')) : false;
    })
    .toBe(true);

  const aborted = await call('deployments.abort', { pipeline: 'demo', environment: 'staging' });
  expect(aborted).toMatchObject({
    ok: true,
    value: { status: 'failed', error: { message: expect.stringMatching(/^Aborted by .+nothing was serving\.$/) } },
  });
  expect(await deploying).toMatchObject({ ok: false, error: { code: 'DEPLOY_FAILED' } });
  expect(await call('releases.list', { pipeline: 'demo', environment: 'staging' })).toEqual({ ok: true, value: [] });

  const again = (await call('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' })) as Result<Deployment>;
  expect(again).toMatchObject({ ok: true, value: { status: 'succeeded', releaseVersion: 1 } });
  const releases = (await call('releases.list', { pipeline: 'demo', environment: 'staging' })) as Result<Release[]>;
  expect(releases.ok && releases.value.map((r) => r.description)).toEqual([
    expect.stringMatching(/^Deploy [0-9a-f]{7} \(HEAD\)$/),
  ]);
});
