// The embedded default provider: environments run as local processes behind a small reverse proxy on
// a stable port; a release's artifact is a slug built once per commit. State lives under
// SLIPWAY_HOME/local as plain files, and everything it starts outlives the Slipway process.
import { AppError, isAppError } from '../../../shared/errors.js';
import type { Instance, Release } from '../../../shared/model.js';
import type { EnvironmentContext, Provider, ProviderStatus, Reporter } from '../provider.js';
import { pageOf, statusEach } from '../release-page.js';
import { childEnv } from './child-env.js';
import { localExec } from './exec.js';
import { resolveCommit } from './git.js';
import { probe } from './health.js';
import { listInstanceRecords } from './instances.js';
import { withLock } from './lock.js';
import { searchLogDir, tailLogDir } from './log-source.js';
import { AlarmEvaluator, addAlarmDefinition, readAlarmDefinitions, removeAlarmDefinition } from './alarms.js';
import { EnvironmentSampler } from './sampler.js';
import { readManifest } from './manifest.js';
import { environmentPaths } from './paths.js';
import { delay, isGroupAlive } from './processes.js';
import { connectProxy, findProxyScript, proxyUpstreams, readProxyInfo } from './proxy-control.js';
import { ReleaseStore } from './release-store.js';
import { drain, localTarget, rolloutRelease } from './rollout.js';
import { runCommand } from './run-command.js';
import { readServing } from './serving.js';
import { SlugBuilder, slugDirFor } from './slugs.js';
import { stopEnvironment } from './stop.js';
import { removeOrphanTemps } from '../../util/temp-files.js';
import { quietAfter, untilAborted } from '../../util/abortable.js';

export interface LocalProviderOptions {
  /** SLIPWAY_HOME. */
  readonly home: string;
  /** The proxy daemon script; found next to the bundle (or in the repository's dist/main) when absent. */
  readonly proxyScript?: string;
}

export interface LocalProvider extends Provider {
  readonly kind: 'local';
  /** Stop an environment's instances and proxy (its releases stay). */
  stopEnvironment(ctx: EnvironmentContext): Promise<void>;
}

/** A sampler started by a one-off ask (the CLI) takes two samples this far apart, so CPU has a rate. */
const BRIEF_SAMPLE_MS = 1_000;

const silentReporter: Reporter = { step: () => undefined, log: () => undefined };

export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  const { home } = options;
  const builder = new SlugBuilder(home);
  let proxyScript = options.proxyScript;
  const rolloutContext = (ctx: EnvironmentContext) => ({
    home,
    paths: environmentPaths(home, ctx),
    proxyScript: () => (proxyScript ??= findProxyScript()),
  });
  const store = (ctx: EnvironmentContext): ReleaseStore => new ReleaseStore(environmentPaths(home, ctx).releases);

  // Sampling starts when an environment is first asked about (or recovered by the window or `serve`)
  // and lasts as long as this provider.
  const samplers = new Map<string, EnvironmentSampler>();
  const evaluators = new Map<string, AlarmEvaluator>();
  const samplerFor = (ctx: EnvironmentContext): EnvironmentSampler => {
    const paths = environmentPaths(home, ctx);
    let sampler = samplers.get(paths.root);
    if (!sampler) {
      sampler = new EnvironmentSampler(paths);
      samplers.set(paths.root, sampler);
    }
    return sampler;
  };
  const evaluatorFor = (ctx: EnvironmentContext): AlarmEvaluator => {
    const key = environmentPaths(home, ctx).root;
    let evaluator = evaluators.get(key);
    if (!evaluator) {
      evaluator = new AlarmEvaluator();
      evaluators.set(key, evaluator);
    }
    return evaluator;
  };
  /** Starts sampling; a sampler this call started also takes a second sample, so CPU has a rate. */
  async function sampling(ctx: EnvironmentContext): Promise<EnvironmentSampler> {
    const sampler = samplerFor(ctx);
    const fresh = Date.now() - sampler.startedAt < BRIEF_SAMPLE_MS;
    await sampler.start();
    if (fresh && sampler.available) {
      await delay(BRIEF_SAMPLE_MS);
      await sampler.sample();
    }
    return sampler;
  }
  const localAlarms = (ctx: EnvironmentContext) => ({
    paths: environmentPaths(home, ctx),
    evaluator: evaluatorFor(ctx),
  });

  /** Proxy up on the right port, routing to live, healthy instances of `release`. */
  /**
   * Releases left `pending` by a deploy whose process died: the one the proxy serves went live (the kill
   * came after the switch), so it is marked succeeded and the instances the dead deploy did not drain are
   * stopped; the others failed. Call holding the lock. Returns a line saying what was done, if anything.
   */
  async function settleInterrupted(ctx: EnvironmentContext): Promise<string | undefined> {
    const releases = store(ctx);
    const pending = (await releases.list()).filter((release) => release.status === 'pending');
    if (pending.length === 0) return undefined;
    const paths = environmentPaths(home, ctx);
    const serving = await readServing(paths).catch(() => undefined);
    const notes: string[] = [];
    for (const release of pending) {
      if (serving?.version === release.version) {
        await releases.setStatus(release.version, 'succeeded');
        const leftovers = (await listInstanceRecords(paths)).filter((r) => !serving.instances.includes(r.id));
        await drain(paths, leftovers, localTarget(ctx), silentReporter);
        notes.push(`v${release.version} went live before its deploy was interrupted; it is now the current release`);
      } else {
        await releases.setStatus(release.version, 'failed', 'interrupted: Slipway stopped before this deploy finished');
        notes.push(`v${release.version} was interrupted before it went live and is marked failed`);
      }
    }
    return `${notes.join('; ')}.`;
  }

  /** Settles an interrupted deploy from any command (status, releases), unless a live deploy holds the lock. */
  async function settleIfIdle(ctx: EnvironmentContext, onStale: (line: string) => void): Promise<string | undefined> {
    // Half-written files of a killed deploy go even when the lock is not taken here (only dead writers').
    const paths = environmentPaths(home, ctx);
    await removeOrphanTemps([paths.root, paths.releases, paths.instances]);
    const newest = (await store(ctx).versions())[0];
    if (newest === undefined || (await store(ctx).get(newest))?.status !== 'pending') return undefined;
    return withLock(paths, () => settleInterrupted(ctx), { wait: false, onStale });
  }

  async function isServing(ctx: EnvironmentContext, release: Release): Promise<boolean> {
    const target = localTarget(ctx);
    const paths = environmentPaths(home, ctx);
    const [proxy, serving, records] = await Promise.all([
      connectProxy(paths),
      readServing(paths),
      listInstanceRecords(paths),
    ]);
    if (!proxy || proxy.port !== target.port || !serving || serving.version !== release.version) return false;
    const upstreams = await proxyUpstreams(proxy);
    if (!upstreams || upstreams.length === 0) return false;
    const checks = upstreams.map(async (upstream) => {
      const record = records.find((candidate) => candidate.id === upstream.id);
      if (!record || !isGroupAlive(record.pid)) return false;
      return (await probe(record.port, target.healthCheck.path, target.healthCheck.timeoutMs)).ok;
    });
    return (await Promise.all(checks)).every(Boolean);
  }

  const provider: LocalProvider = {
    kind: 'local',

    async resolveArtifact(ctx, ref, reporter, signal) {
      const repo = ctx.pipeline.repo;
      if (!repo) {
        throw new AppError(
          'INVALID_INPUT',
          `Pipeline ${ctx.pipeline.name} has no git repository, so there is nothing to build. Set its repository first.`,
        );
      }
      const sha = await resolveCommit(repo, ref);
      // An abort stops the deploy waiting; the build itself finishes and is kept for the next deploy.
      await untilAborted(builder.ensure(repo, sha, quietAfter(reporter, signal)), signal);
      return { artifact: { kind: 'slug', id: sha, sha }, sha };
    },

    listReleases: async (ctx, page) => pageOf(await store(ctx).list(), page),
    currentRelease: (ctx) => store(ctx).current(),
    getRelease: (ctx, version) => store(ctx).get(version),
    createRelease: (ctx, spec) => store(ctx).create(spec),
    setReleaseStatus: (ctx, version, status, failure) => store(ctx).setStatus(version, status, failure),
    markNoRollback: (ctx, version, mark) => store(ctx).markNoRollback(version, mark),

    async runReleasePhase(ctx, release, reporter, signal) {
      const slugDir = await slugDirFor(home, release.artifact);
      const manifest = await readManifest(slugDir, `commit ${release.sha?.slice(0, 7) ?? `of v${release.version}`}`);
      const command = ctx.pipeline.releaseCommand ?? manifest.release;
      if (!command) return undefined;
      reporter.log(`$ ${command}`);
      const result = await runCommand(command, {
        cwd: slugDir,
        env: childEnv(release.config, {
          SLIPWAY_RELEASE_VERSION: String(release.version),
          SLIPWAY_ENVIRONMENT: ctx.environment.name,
          SLIPWAY_RELEASE_PHASE: '1',
          ...(release.sha ? { SOURCE_VERSION: release.sha } : {}),
        }),
        onLine: (line) => reporter.log(line),
        signal,
      });
      return { exitCode: result.exitCode, output: result.tail };
    },

    rollout: (ctx, release, reporter, signal) => rolloutRelease(rolloutContext(ctx), ctx, release, reporter, signal),

    async status(ctx): Promise<ProviderStatus> {
      const target = localTarget(ctx);
      const paths = environmentPaths(home, ctx);
      const warnings: string[] = [];
      const settled = await settleIfIdle(ctx, (line) => warnings.push(line));
      if (settled) warnings.push(settled);
      const [current, records, serving, proxy] = await Promise.all([
        store(ctx).current(),
        listInstanceRecords(paths),
        // A damaged serving.json must not hide the rest of the status: it is named in a warning.
        readServing(paths).catch((error: unknown) => {
          if (!isAppError(error)) throw error;
          warnings.push(`${error.message} The next deploy writes it again.`);
          return undefined;
        }),
        readProxyInfo(paths),
      ]);
      const instances: Instance[] = records.map((record) => {
        const alive = isGroupAlive(record.pid);
        const state: Instance['state'] = !alive
          ? 'stopped'
          : record.draining
            ? 'draining'
            : serving?.instances.includes(record.id)
              ? 'healthy'
              : 'starting';
        return {
          id: record.id,
          releaseVersion: record.releaseVersion,
          state,
          startedAt: record.startedAt,
          address: `127.0.0.1:${record.port}`,
          detail: `pid ${record.pid}`,
        };
      });
      if (serving && current && serving.version !== current.version)
        warnings.push(
          `The proxy serves v${serving.version}, while v${current.version} is the newest finished release: a deploy is finishing, or was interrupted (the next command settles it).`,
        );
      const proxyAlive = proxy !== undefined && isGroupAlive(proxy.pid);
      if (current && !proxyAlive)
        warnings.push(
          `The proxy on port ${target.port} is not running. Restart Slipway or deploy again to bring ${ctx.environment.name} back.`,
        );
      const stopped = instances.filter((instance) => instance.state === 'stopped');
      if (stopped.length > 0)
        warnings.push(
          `${stopped.map((instance) => instance.id).join(', ')} stopped unexpectedly; see the instance logs.`,
        );
      return {
        current,
        instances,
        url: `http://127.0.0.1:${target.port}`,
        details: {
          kind: 'local',
          ...(proxyAlive ? { proxyPid: proxy.pid } : {}),
          ...(serving ? { servingVersion: serving.version } : {}),
          logs: paths.logs,
        },
        warnings,
      };
    },

    statusMany: (contexts) => statusEach(provider, contexts),

    async recover(ctx, notice) {
      const paths = environmentPaths(home, ctx);
      // The window and `serve` recover every environment at start: they keep the metric history.
      void samplerFor(ctx).start();
      // If another process holds the lock it is deploying this environment right now: leave it be.
      await withLock(
        paths,
        async () => {
          const note = await settleInterrupted(ctx);
          if (note) notice?.(note);
          const releases = store(ctx);
          const current = await releases.current();
          if (!current || (await isServing(ctx, current))) return;
          await rolloutRelease(rolloutContext(ctx), ctx, current, silentReporter, new AbortController().signal);
        },
        { wait: false, onStale: notice },
      );
    },

    async withEnvironmentLock(ctx, work, notice) {
      // With waiting on, withLock only returns once work has run. When the lock was a dead deploy's, what
      // it left pending is settled first, so this deploy plans against the truth.
      let tookOver = false;
      const onStale = (line: string): void => {
        tookOver = true;
        notice?.(line);
      };
      return (await withLock(
        environmentPaths(home, ctx),
        async () => {
          const note = tookOver ? await settleInterrupted(ctx) : undefined;
          if (note) notice?.(note);
          return work();
        },
        { onStale },
      )) as Awaited<ReturnType<typeof work>>;
    },

    stopEnvironment: (ctx) => stopEnvironment(home, ctx),

    capabilities: {
      instances: { list: async (ctx) => [...(await provider.status(ctx)).instances] },
      exec: localExec(home),
      logs: {
        tail: (ctx, query, signal) => tailLogDir(environmentPaths(home, ctx).logs, query, signal),
        search: (ctx, query) => searchLogDir(environmentPaths(home, ctx).logs, query),
      },
      metrics: {
        async series(ctx, query) {
          const sampler = await sampling(ctx);
          if (!sampler.available)
            return { series: [], notes: ['CPU and memory are sampled from /proc, on Linux only.'] };
          const since = Date.parse(query.since);
          const notes =
            sampler.startedAt > since
              ? [
                  `Sampled every ${sampler.intervalMs / 1000} s while Slipway runs, from when this process started; the window and "slipway serve" keep up to 7 days.`,
                ]
              : [];
          return { series: sampler.series(since, Date.parse(query.until), query.periodSeconds), notes };
        },
      },
      alarms: {
        metrics: ['cpu', 'memory'],
        refreshMs: 2_000,
        async list(ctx) {
          const sampler = samplerFor(ctx);
          void sampler.start();
          const { paths, evaluator } = localAlarms(ctx);
          return (await readAlarmDefinitions(paths)).map((definition) => evaluator.evaluate(definition, sampler));
        },
        async create(ctx, spec) {
          const sampler = samplerFor(ctx);
          void sampler.start();
          const { paths, evaluator } = localAlarms(ctx);
          return evaluator.evaluate(await addAlarmDefinition(paths, spec), sampler);
        },
        delete: (ctx, name) => removeAlarmDefinition(environmentPaths(home, ctx), name),
      },
    },

    async dispose() {
      // Only sampling is held between calls: locks are released when their work ends, and
      // environments are meant to keep running.
      for (const sampler of samplers.values()) sampler.stop();
      samplers.clear();
    },
  };
  return provider;
}
