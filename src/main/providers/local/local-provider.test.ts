// Builds, releases, the release phase and the deploy lock, against real git repos and real files.
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import type { Release } from '../../../shared/model.js';
import { recordingReporter } from '../conformance.js';
import type { EnvironmentContext, ReleaseSpec } from '../provider.js';
import { createLocalProvider } from './local-provider.js';
import { commitFiles, createAppRepo, customContext, noSignal, otherEnvironment } from './test-support.js';

let root: string;
let home: string;
let repo: string;
let counter: string;
let ctx: EnvironmentContext;

const actor = { user: 'tester' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-local-build-'));
  home = join(root, 'home');
  counter = join(root, 'builds.txt');
  repo = await createAppRepo(join(root, 'app'), {
    // The build leaves a mark outside the slug, so the test can count builds.
    'build.js': `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, process.env.SOURCE_VERSION + '\\n'); fs.writeFileSync('built.txt', 'yes'); console.log('compiling assets'); console.log('done');\n`,
    'release.js': `console.log('GREETING=' + process.env.GREETING); console.log('migrating'); process.exit(process.env.FAIL_RELEASE === '1' ? 3 : 0);\n`,
    'slipway.json': JSON.stringify({ build: 'node build.js', release: 'node release.js', web: 'node -e "1"' }),
  });
  ctx = await customContext(repo);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const buildCount = async (): Promise<number> =>
  (await readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('building slugs', () => {
  it('builds a commit once, streams the build output, and reuses the slug afterwards', async () => {
    const provider = createLocalProvider({ home });
    const reporter = recordingReporter();
    const first = await provider.resolveArtifact(ctx, 'main', reporter);
    expect(first.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(reporter.lines).toEqual(expect.arrayContaining(['compiling assets', 'done']));
    const slug = join(home, 'local', 'slugs', first.sha ?? '');
    expect(await readFile(join(slug, 'built.txt'), 'utf8')).toBe('yes');

    // Same commit by another name, from another environment and another provider object: no rebuild.
    const again = await createLocalProvider({ home }).resolveArtifact(
      otherEnvironment(ctx, 'production'),
      first.sha?.slice(0, 8) ?? '',
      recordingReporter(),
    );
    expect(again.artifact).toEqual(first.artifact);
    expect(await buildCount()).toBe(1);
  });

  it('builds each new commit once, even when asked for it twice at the same time', async () => {
    const before = await buildCount();
    await commitFiles(repo, { 'README.md': 'v2\n' }, 'Second commit');
    const provider = createLocalProvider({ home });
    const [a, b] = await Promise.all([
      provider.resolveArtifact(ctx, 'HEAD', recordingReporter()),
      provider.resolveArtifact(ctx, 'HEAD', recordingReporter()),
    ]);
    expect(a.artifact).toEqual(b.artifact);
    expect(await buildCount()).toBe(before + 1);
    // No half-built folders are left behind.
    expect((await readdir(join(home, 'local', 'slugs'))).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('names a bad ref in an INVALID_INPUT error and refuses option-like refs', async () => {
    const provider = createLocalProvider({ home });
    for (const ref of ['nope-branch', '--output=/tmp/x']) {
      const error = await provider.resolveArtifact(ctx, ref, recordingReporter()).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toContain(ref);
    }
  });

  it('fails a broken build with DEPLOY_FAILED and the tail of its output, and leaves no slug', async () => {
    const brokenRoot = await mkdtemp(join(tmpdir(), 'slipway-local-broken-'));
    try {
      const brokenRepo = await createAppRepo(join(brokenRoot, 'app'), {
        'slipway.json': JSON.stringify({
          build: 'node -e "console.error(\'missing dependency left-pad\'); process.exit(2)"',
          web: 'node -e 1',
        }),
      });
      const brokenCtx = await customContext(brokenRepo);
      const error = await createLocalProvider({ home: join(brokenRoot, 'home') })
        .resolveArtifact(brokenCtx, 'HEAD', recordingReporter())
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
      expect((error as Error).message).toMatch(/exit code 2.*missing dependency left-pad/);
      expect(await readdir(join(brokenRoot, 'home', 'local', 'slugs'))).toEqual([]);
    } finally {
      await rm(brokenRoot, { recursive: true, force: true });
    }
  });
});

describe('releases', () => {
  let spec: ReleaseSpec;
  beforeAll(async () => {
    const { artifact, sha } = await createLocalProvider({ home }).resolveArtifact(ctx, 'HEAD', recordingReporter());
    spec = {
      kind: 'deploy',
      artifact,
      sha,
      config: { GREETING: { value: 'Ahoy', secret: false } },
      actor,
      description: 'Deploy',
    };
  });

  it('keeps each release in its own inspectable file that later changes never rewrite', async () => {
    const provider = createLocalProvider({ home });
    const release = await provider.createRelease(ctx, spec);
    const file = join(home, 'local', 'pipelines', 'custom', 'staging', 'releases', `v${release.version}.json`);
    const original = await readFile(file, 'utf8');
    expect(JSON.parse(original)).toMatchObject({ version: release.version, status: 'pending', sha: spec.sha });
    // Config values may be secret: only the owner can read release files.
    expect((await stat(file)).mode & 0o077).toBe(0);

    await provider.setReleaseStatus(ctx, release.version, 'succeeded');
    await provider.markNoRollback(ctx, release.version, {
      reason: 'drops a column',
      actor,
      at: new Date().toISOString(),
    });
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(await provider.getRelease(ctx, release.version)).toMatchObject({
      status: 'succeeded',
      noRollback: { reason: 'drops a column' },
    });
  });

  it('gives concurrent writers with no shared memory distinct, gap-free versions', async () => {
    const writers = [createLocalProvider({ home }), createLocalProvider({ home })];
    const production = otherEnvironment(ctx, 'production');
    const made: Release[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writers[i % 2]!.createRelease(production, { ...spec, description: `writer ${i % 2} #${i}` }),
      ),
    );
    const versions = made.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const listed = await writers[0]!.listReleases(production);
    expect(listed.map((r) => r.version)).toEqual([...versions].reverse());
    for (const release of made)
      expect(listed.find((r) => r.version === release.version)?.description).toBe(release.description);
  });
});

describe('the release phase', () => {
  const phase = async (context: EnvironmentContext, config: Release['config']) => {
    const provider = createLocalProvider({ home });
    const { artifact, sha } = await provider.resolveArtifact(context, 'HEAD', recordingReporter());
    const release = await provider.createRelease(context, {
      kind: 'deploy',
      artifact,
      sha,
      config,
      actor,
      description: 'Deploy',
    });
    const reporter = recordingReporter();
    return { result: await provider.runReleasePhase(context, release, reporter, noSignal()), reporter };
  };

  it("runs the manifest's release command with the release's config as environment variables", async () => {
    const { result, reporter } = await phase(ctx, { GREETING: { value: 'Ahoy', secret: false } });
    expect(result).toEqual({ exitCode: 0, output: ['GREETING=Ahoy', 'migrating'] });
    expect(reporter.lines).toContain('GREETING=Ahoy');
  });

  it('returns the exit code and output tail of a failing release command', async () => {
    const { result } = await phase(ctx, { FAIL_RELEASE: { value: '1', secret: false } });
    expect(result?.exitCode).toBe(3);
    expect(result?.output).toContain('migrating');
  });

  it("lets the pipeline's release command override the manifest's", async () => {
    const overridden = { ...ctx, pipeline: { ...ctx.pipeline, releaseCommand: 'echo from-pipeline' } };
    const { result } = await phase(overridden, {});
    expect(result).toEqual({ exitCode: 0, output: ['from-pipeline'] });
  });

  it('returns undefined when there is no release command', async () => {
    await commitFiles(
      repo,
      { 'slipway.json': JSON.stringify({ build: 'node build.js', web: 'node -e "1"' }) },
      'Drop the release command',
    );
    const { result } = await phase(ctx, {});
    expect(result).toBeUndefined();
  });
});

describe('the deploy lock', () => {
  it('lets two Slipway processes deploy one environment only one after the other', async () => {
    const [window, cli] = [createLocalProvider({ home }), createLocalProvider({ home })];
    const events: string[] = [];
    const work = (who: string) => async () => {
      events.push(`${who} in`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      events.push(`${who} out`);
    };
    await Promise.all([window.withEnvironmentLock(ctx, work('window')), cli.withEnvironmentLock(ctx, work('cli'))]);
    expect([events.slice(0, 2), events.slice(2)]).toEqual(
      expect.arrayContaining([
        ['window in', 'window out'],
        ['cli in', 'cli out'],
      ]),
    );
  });

  it('does not serialise different environments', async () => {
    const provider = createLocalProvider({ home });
    const events: string[] = [];
    let release: () => void = () => undefined;
    let acquired: () => void = () => undefined;
    const isHeld = new Promise<void>((resolve) => (acquired = resolve));
    const held = provider.withEnvironmentLock(
      ctx,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          acquired();
        }),
    );
    // Staging is really held before production asks (an earlier test's lock may still be letting go).
    await isHeld;
    await provider.withEnvironmentLock(
      otherEnvironment(ctx, 'production'),
      async () => void events.push('production ran'),
    );
    expect(events).toEqual(['production ran']);
    release();
    await held;
  });
});
