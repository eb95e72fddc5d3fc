// Rollouts on real processes: zero failed requests through the proxy, failed health checks that
// leave the old release serving, stop signals and grace periods, recovery, and environments that
// outlive the process that deployed them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../../../shared/errors.js';
import type { Config, Release } from '../../../shared/model.js';
import { recordingReporter, type RecordingReporter } from '../conformance.js';
import type { EnvironmentContext, Provider } from '../provider.js';
import { createLocalProvider } from './local-provider.js';
import { isAlive } from '../../util/process-alive.js';
import { isGroupAlive } from './processes.js';
import { environmentPaths } from './paths.js';
import { connectProxy, findProxyScript, proxyStats } from './proxy-control.js';
import { stopAllLocal } from './stop.js';
import {
  createAppRepo,
  createTestWorkspace,
  customContext,
  getJson,
  noSignal,
  processesMentioning,
  type TestWorkspace,
} from './test-support.js';

const run = promisify(execFile);
const healthSchema = z.object({ ok: z.boolean(), release: z.string().nullable(), commit: z.string() });
const actor = { user: 'tester' };

let workspace: TestWorkspace;
let provider: Provider;
const pids = new Set<number>();

beforeAll(async () => {
  workspace = await createTestWorkspace();
  provider = createLocalProvider({ home: workspace.home });
});
afterAll(async () => {
  await provider.dispose();
  await workspace.dispose();
  // Nothing this file started is left running.
  expect([...pids].filter((pid) => isGroupAlive(pid))).toEqual([]);
  expect(await processesMentioning(workspace.home)).toEqual([]);
});

const portOf = (ctx: EnvironmentContext): number =>
  ctx.environment.target.provider === 'local' ? ctx.environment.target.port : 0;
const servingNow = async (ctx: EnvironmentContext) =>
  healthSchema.parse(await getJson(`http://127.0.0.1:${portOf(ctx)}/healthz`));

async function remember(ctx: EnvironmentContext): Promise<void> {
  for (const instance of (await provider.status(ctx)).instances) pids.add(Number(instance.detail?.replace('pid ', '')));
}

async function deploy(
  ctx: EnvironmentContext,
  config: Config = {},
  ref = 'HEAD',
  reporter: RecordingReporter = recordingReporter(),
  using: Provider = provider,
): Promise<Release> {
  const { artifact, sha } = await using.resolveArtifact(ctx, ref, reporter);
  const release = await using.createRelease(ctx, {
    kind: 'deploy',
    artifact,
    sha,
    config,
    actor,
    description: `Deploy ${ref}`,
  });
  try {
    await using.rollout(ctx, release, reporter, noSignal());
  } finally {
    await remember(ctx);
  }
  return using.setReleaseStatus(ctx, release.version, 'succeeded');
}

describe('zero-downtime rollout', () => {
  it('serves every request through the proxy while releases roll out, and the served release changes', async () => {
    const ctx = workspace.ctx('staging');
    const reporter = recordingReporter();
    await deploy(ctx, {}, 'HEAD~1', reporter);
    expect(reporter.steps).toEqual(['Start 2 instances', 'Health check', 'Route traffic', 'Drain old instances']);

    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const deadline = Date.now() + 90_000;
    const loop = async (): Promise<void> => {
      while (running && Date.now() < deadline) {
        try {
          const response = await fetch(`http://127.0.0.1:${portOf(ctx)}/healthz`, {
            signal: AbortSignal.timeout(5_000),
          });
          const body = healthSchema.parse(await response.json());
          if (response.status !== 200) failures.push(`HTTP ${response.status}`);
          if (body.release) seen.add(body.release);
        } catch (error) {
          failures.push(String(error));
        }
        requests++;
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    const versions: number[] = [];
    try {
      for (const ref of ['HEAD', 'HEAD~1', 'HEAD']) {
        const release = await deploy(ctx, { GREETING: { value: `hello ${ref}`, secret: false } }, ref);
        versions.push(release.version);
        expect((await servingNow(ctx)).release).toBe(String(release.version));
      }
    } finally {
      running = false;
      await Promise.all(loops);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    // Not even a hidden retry: no request was sent to an instance that had begun to stop.
    const proxy = await connectProxy(environmentPaths(workspace.home, ctx));
    expect(proxy && (await proxyStats(proxy))).toEqual({ retried: 0, failed: 0 });
    expect(versions.every((version) => seen.has(String(version)))).toBe(true);
  });

  it('reports the serving release and its instances in status, and drained instances are gone', async () => {
    const ctx = workspace.ctx('staging');
    const status = await provider.status(ctx);
    expect(status.url).toBe(`http://127.0.0.1:${portOf(ctx)}`);
    expect(status.instances).toHaveLength(2);
    for (const instance of status.instances) {
      expect(instance).toMatchObject({
        state: 'healthy',
        releaseVersion: status.current?.version,
        address: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      });
    }
    expect(status.warnings).toEqual([]);
    // Every instance of an earlier release has exited.
    const live = new Set(status.instances.map((instance) => Number(instance.detail?.replace('pid ', ''))));
    expect([...pids].filter((pid) => !live.has(pid) && isGroupAlive(pid))).toEqual([]);
  });
});

describe('failed rollouts', () => {
  it('keeps the old release serving when the new one fails its health check, and says why', async () => {
    const ctx = workspace.ctx('production');
    const good = await deploy(ctx);
    const error = await deploy(ctx, { FAIL_HEALTHCHECK: { value: '1', secret: false } }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
    const message = (error as Error).message;
    expect(message).toContain('HTTP 503');
    expect(message).toContain('Listening on 127.0.0.1');
    expect(message).toContain(`v${good.version} keeps serving`);
    expect((await servingNow(ctx)).release).toBe(String(good.version));
    const status = await provider.status(ctx);
    expect(status.instances.map((instance) => instance.releaseVersion)).toEqual([good.version, good.version]);
  });

  it('fails fast with the output of an instance that crashes on start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-local-crash-'));
    const home = join(root, 'home');
    const crashing = createLocalProvider({ home });
    try {
      const repo = await createAppRepo(join(root, 'app'), {
        'slipway.json': JSON.stringify({
          web: 'node -e "console.error(\'cannot connect to the database\'); process.exit(4)"',
        }),
      });
      const error = await deploy(await customContext(repo), {}, 'HEAD', recordingReporter(), crashing).catch(
        (e: unknown) => e,
      );
      expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
      expect((error as Error).message).toMatch(/exited with code 4.*cannot connect to the database/);
    } finally {
      await stopAllLocal(home);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('stop signals', () => {
  it('sends the configured stop signal, waits the grace period, then kills', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-local-signal-'));
    const home = join(root, 'home');
    const stubborn = createLocalProvider({ home });
    try {
      const repo = await createAppRepo(join(root, 'app'), {
        'server.js': [
          "const http = require('http');",
          "http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');",
          "process.on('SIGUSR2', () => console.log('got SIGUSR2, ignoring it'));",
          "process.on('SIGTERM', () => console.log('got SIGTERM'));",
          '',
        ].join('\n'),
        'slipway.json': JSON.stringify({ web: 'node server.js' }),
      });
      const ctx = await customContext(repo, { stopSignal: 'SIGUSR2', graceMs: 300 });
      await deploy(ctx, {}, 'HEAD', recordingReporter(), stubborn);
      const [first] = (await stubborn.status(ctx)).instances;
      const reporter = recordingReporter();
      await deploy(ctx, {}, 'HEAD', reporter, stubborn);
      expect(reporter.lines).toContain(`${first?.id} did not stop within 300 ms; killed`);
      expect(isAlive(Number(first?.detail?.replace('pid ', '')))).toBe(false);
      const log = await readFile(
        join(home, 'local', 'pipelines', 'custom', 'staging', 'logs', `${first?.id}.log`),
        'utf8',
      );
      expect(log).toContain('got SIGUSR2, ignoring it');
      expect(log).not.toContain('got SIGTERM');
    } finally {
      await stopAllLocal(home);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('recovery', () => {
  it('marks interrupted releases failed and brings a stopped environment back', async () => {
    const ctx = workspace.ctx('production');
    const current = (await provider.status(ctx)).current;
    expect(current).toBeDefined();
    const interrupted = await provider.createRelease(ctx, {
      kind: 'config',
      artifact: current!.artifact,
      sha: current!.sha,
      config: {},
      actor,
      description: 'Set X',
    });
    await createLocalProvider({ home: workspace.home }).stopEnvironment(ctx);
    await expect(servingNow(ctx)).rejects.toThrow();
    expect((await provider.status(ctx)).warnings.join(' ')).toMatch(/proxy on port \d+ is not running/);

    await createLocalProvider({ home: workspace.home }).recover(ctx);
    expect((await servingNow(ctx)).release).toBe(String(current?.version));
    expect(await provider.getRelease(ctx, interrupted.version)).toMatchObject({
      status: 'failed',
      failure: expect.stringMatching(/^interrupted/),
    });
    await remember(ctx);
  });

  it('leaves a healthy environment alone', async () => {
    const ctx = workspace.ctx('production');
    const before = (await provider.status(ctx)).instances.map((instance) => instance.id);
    await provider.recover(ctx);
    expect((await provider.status(ctx)).instances.map((instance) => instance.id)).toEqual(before);
  });

  it('does not disturb a deploy another process is running', async () => {
    const ctx = workspace.ctx('production');
    const current = (await provider.status(ctx)).current!;
    const inFlight = await provider.createRelease(ctx, {
      kind: 'config',
      artifact: current.artifact,
      sha: current.sha,
      config: {},
      actor,
      description: 'Set Y',
    });
    let finish: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const deploying = createLocalProvider({ home: workspace.home }).withEnvironmentLock(ctx, async () => {
      entered();
      await new Promise<void>((resolve) => (finish = resolve));
    });
    await inside;
    await createLocalProvider({ home: workspace.home }).recover(ctx);
    expect((await provider.getRelease(ctx, inFlight.version))?.status).toBe('pending');
    finish();
    await deploying;
    await provider.setReleaseStatus(ctx, inFlight.version, 'failed', 'test over');
  });
});

describe('lifetime', () => {
  it('keeps serving after the process that deployed exits', async () => {
    const ctx = workspace.ctx('staging');
    const out = join(workspace.home, 'deploy-once.mjs');
    const here = dirname(fileURLToPath(import.meta.url));
    // A separate Node process deploys and exits, as `slipway deploy` does.
    await build({
      stdin: {
        resolveDir: here,
        sourcefile: 'deploy-once.ts',
        contents: `
          import { createLocalProvider } from './local-provider.js';
          const [home, ctxJson, proxyScript] = process.argv.slice(2);
          const ctx = JSON.parse(ctxJson);
          const provider = createLocalProvider({ home, proxyScript });
          const quiet = { step() {}, log() {} };
          const { artifact, sha } = await provider.resolveArtifact(ctx, 'HEAD~2', quiet);
          const release = await provider.createRelease(ctx, { kind: 'deploy', artifact, sha, config: {}, actor: { user: 'cli' }, description: 'Deploy from CLI' });
          await provider.rollout(ctx, release, quiet, new AbortController().signal);
          await provider.setReleaseStatus(ctx, release.version, 'succeeded');
          console.log(JSON.stringify({ version: release.version, pid: process.pid }));
        `,
      },
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { stdout } = await run(process.execPath, [out, workspace.home, JSON.stringify(ctx), findProxyScript()], {
      timeout: 60_000,
    });
    const child = z.object({ version: z.number(), pid: z.number() }).parse(JSON.parse(stdout));
    expect(isAlive(child.pid)).toBe(false);
    expect(await servingNow(ctx)).toMatchObject({ ok: true, release: String(child.version) });
    await remember(ctx);
  });
});
