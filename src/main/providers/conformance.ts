// What every Provider must do, written once and run against each implementation. A fixture gives an
// environment, a ref that resolves and (when the provider can tell) what is serving now; the local
// provider runs it for real, the AWS provider against a mocked cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.js';
import type { Config, Release } from '../../shared/model.js';
import type { EnvironmentContext, Provider, Reporter, ReleaseSpec } from './provider.js';

export interface ServingNow {
  /** The release version the running app reports, when it can. */
  readonly version?: number | undefined;
  readonly sha?: string | undefined;
}

export interface ProviderFixture {
  readonly provider: Provider;
  readonly ctx: EnvironmentContext;
  /** A ref resolveArtifact accepts (a git ref for local, an image tag for ECS). */
  readonly ref: string;
  /** A ref that does not exist. */
  readonly badRef: string;
  /** Config that makes new instances fail their health checks, when the fixture can arrange it. */
  readonly unhealthyConfig?: Config;
  /** What is serving now, seen from outside the provider (HTTP, the mocked cloud's state). */
  readonly readServing?: () => Promise<ServingNow | undefined>;
  dispose(): Promise<void>;
}

export interface RecordingReporter extends Reporter {
  readonly steps: string[];
  readonly lines: string[];
}

export function recordingReporter(): RecordingReporter {
  const steps: string[] = [];
  const lines: string[] = [];
  return { steps, lines, step: (name) => void steps.push(name), log: (line) => void lines.push(line) };
}

const actor = { user: 'conformance' };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

export function describeProviderConformance(name: string, makeFixture: () => Promise<ProviderFixture>): void {
  describe(`${name} provider conformance`, () => {
    let fixture: ProviderFixture;
    let spec: ReleaseSpec;

    const deploy = async (config: Config = {}): Promise<Release> => {
      const { provider, ctx } = fixture;
      const release = await provider.createRelease(ctx, { ...spec, config });
      await provider.rollout(ctx, release, recordingReporter(), new AbortController().signal);
      return provider.setReleaseStatus(ctx, release.version, 'succeeded');
    };

    beforeAll(async () => {
      fixture = await makeFixture();
      const resolved = await fixture.provider.resolveArtifact(fixture.ctx, fixture.ref, recordingReporter());
      spec = {
        kind: 'deploy',
        artifact: resolved.artifact,
        sha: resolved.sha,
        config: {},
        actor,
        description: `Deploy ${fixture.ref}`,
      };
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('resolves the same ref to the same pinned artifact every time', async () => {
      const again = await fixture.provider.resolveArtifact(fixture.ctx, fixture.ref, recordingReporter());
      expect(again.artifact).toEqual(spec.artifact);
      if (again.sha !== undefined) expect(again.sha).toMatch(/^[0-9a-f]{40}$/);
    });

    it('rejects a ref that does not exist with an error naming it', async () => {
      const error = await rejection(fixture.provider.resolveArtifact(fixture.ctx, fixture.badRef, recordingReporter()));
      expect(isAppError(error)).toBe(true);
      if (!isAppError(error)) return;
      expect(['INVALID_INPUT', 'NOT_FOUND']).toContain(error.code);
      expect(error.message).toContain(fixture.badRef);
    });

    it('numbers releases upwards, starts them pending and lists them newest first', async () => {
      const { provider, ctx } = fixture;
      const first = await provider.createRelease(ctx, spec);
      const second = await provider.createRelease(ctx, { ...spec, description: 'second' });
      expect(second.version).toBe(first.version + 1);
      expect(first.status).toBe('pending');
      const list = await provider.listReleases(ctx);
      expect(list.slice(0, 2).map((r) => r.version)).toEqual([second.version, first.version]);
      expect(await provider.getRelease(ctx, second.version)).toEqual(second);
      expect(await provider.getRelease(ctx, second.version + 1000)).toBeUndefined();
    });

    it('never gives two concurrent creates the same version', async () => {
      const { provider, ctx } = fixture;
      const before = (await provider.listReleases(ctx))[0]?.version ?? 0;
      const made = await Promise.all(
        Array.from({ length: 8 }, (_, i) => provider.createRelease(ctx, { ...spec, description: `concurrent ${i}` })),
      );
      const versions = made.map((r) => r.version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 8 }, (_, i) => before + i + 1));
    });

    it('changes status and the no-rollback mark without touching the rest of the release', async () => {
      const { provider, ctx } = fixture;
      const created = await provider.createRelease(ctx, { ...spec, config: { KEEP: { value: 'me', secret: false } } });
      const failed = await provider.setReleaseStatus(ctx, created.version, 'failed', 'the health check failed');
      expect(failed).toEqual({ ...created, status: 'failed', failure: 'the health check failed' });
      const mark = { reason: 'drops a column', actor, at: new Date().toISOString() };
      const marked = await provider.markNoRollback(ctx, created.version, mark);
      expect(marked).toEqual({ ...failed, noRollback: mark });
      expect(await provider.getRelease(ctx, created.version)).toEqual(marked);
    });

    it('answers NOT_FOUND for a status change of a release that does not exist', async () => {
      const error = await rejection(fixture.provider.setReleaseStatus(fixture.ctx, 99_999, 'failed', 'x'));
      expect(isAppError(error) && error.code).toBe('NOT_FOUND');
    });

    it('rolls a release out, and status reports it as current', async () => {
      const release = await deploy({ GREETING: { value: 'first', secret: false } });
      const status = await fixture.provider.status(fixture.ctx);
      expect(status.current?.version).toBe(release.version);
      if (fixture.readServing) {
        const serving = await fixture.readServing();
        if (serving?.version !== undefined) expect(serving.version).toBe(release.version);
        if (serving?.sha !== undefined && spec.sha !== undefined) expect(serving.sha).toBe(spec.sha);
      }
    });

    it('runs the release phase without changing what serves', async () => {
      const { provider, ctx } = fixture;
      const before = await provider.status(ctx);
      const release = await provider.createRelease(ctx, spec);
      const result = await provider.runReleasePhase(ctx, release, recordingReporter(), new AbortController().signal);
      if (result !== undefined) {
        expect(Number.isInteger(result.exitCode)).toBe(true);
        expect(Array.isArray(result.output)).toBe(true);
      }
      await provider.setReleaseStatus(ctx, release.version, 'failed', 'not rolled out');
      expect((await provider.status(ctx)).current?.version).toBe(before.current?.version);
    });

    it('keeps the serving release when a rollout fails, and says so with DEPLOY_FAILED', async ({ skip }) => {
      if (!fixture.unhealthyConfig) skip();
      const { provider, ctx } = fixture;
      const serving = await deploy();
      const broken = await provider.createRelease(ctx, { ...spec, config: fixture.unhealthyConfig ?? {} });
      const error = await rejection(provider.rollout(ctx, broken, recordingReporter(), new AbortController().signal));
      expect(isAppError(error) && error.code).toBe('DEPLOY_FAILED');
      await provider.setReleaseStatus(ctx, broken.version, 'failed', 'health check');
      expect((await provider.status(ctx)).current?.version).toBe(serving.version);
      const now = await fixture.readServing?.();
      if (now?.version !== undefined) expect(now.version).toBe(serving.version);
    });

    it('runs locked work for one environment one at a time', async () => {
      const events: string[] = [];
      const work = (label: string) => async () => {
        events.push(`${label} start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${label} end`);
        return label;
      };
      const results = await Promise.all([
        fixture.provider.withEnvironmentLock(fixture.ctx, work('a')),
        fixture.provider.withEnvironmentLock(fixture.ctx, work('b')),
      ]);
      expect(results.sort()).toEqual(['a', 'b']);
      for (let i = 0; i < events.length; i += 2)
        expect(events[i]?.replace(' start', '')).toBe(events[i + 1]?.replace(' end', ''));
    });

    it('recovers: an interrupted release becomes failed, the current one keeps serving', async () => {
      const { provider, ctx } = fixture;
      const current = (await provider.status(ctx)).current;
      const interrupted = await provider.createRelease(ctx, spec);
      await provider.recover(ctx);
      const after = await provider.getRelease(ctx, interrupted.version);
      expect(after?.status).toBe('failed');
      expect(after?.failure).toMatch(/interrupted/);
      expect((await provider.status(ctx)).current?.version).toBe(current?.version);
    });
  });
}
