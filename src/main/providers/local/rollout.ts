// Zero-downtime rollout: start the new instances, wait until they are healthy, point the proxy at
// them, then drain the old ones (stop signal, grace period, SIGKILL). If the new instances never get
// healthy they are killed and what was serving keeps serving.
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { localTargetSchema, type LocalTarget, type Release } from '../../../shared/model.js';
import type { EnvironmentContext, Reporter } from '../provider.js';
import { tailFile } from './files.js';
import { waitUntilHealthy } from './health.js';
import { parseLine } from './log-files.js';
import {
  listInstanceRecords,
  removeInstanceRecord,
  startInstance,
  writeInstanceRecord,
  type InstanceRecord,
  type StartedInstance,
} from './instances.js';
import { readManifest } from './manifest.js';
import type { EnvironmentPaths } from './paths.js';
import { stopGroup } from './processes.js';
import { ensureProxy, setUpstreams } from './proxy-control.js';
import { readServing, writeServing } from './serving.js';
import { slugDirFor } from './slugs.js';

/** Bundled next to the proxy daemon. */
const SUPERVISOR_FILE = 'local-instance.js';

export interface RolloutContext {
  readonly home: string;
  readonly paths: EnvironmentPaths;
  readonly proxyScript: () => string;
}

export function localTarget(ctx: EnvironmentContext): LocalTarget {
  if (ctx.environment.target.provider !== 'local') {
    throw new AppError(
      'INVALID_INPUT',
      `Environment ${ctx.environment.name} runs on ${ctx.environment.target.provider}, not on this computer.`,
    );
  }
  return localTargetSchema.parse(ctx.environment.target);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

async function kill(paths: EnvironmentPaths, records: readonly InstanceRecord[]): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      await stopGroup(record.pid, 'SIGKILL', 0);
      await removeInstanceRecord(paths, record.id);
    }),
  );
}

export async function drain(
  paths: EnvironmentPaths,
  records: readonly InstanceRecord[],
  target: LocalTarget,
  reporter: Reporter,
): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      await writeInstanceRecord(paths, { ...record, draining: true });
      const how = await stopGroup(record.pid, target.stopSignal, target.graceMs);
      reporter.log(
        how === 'stopped'
          ? `${record.id} stopped after ${target.stopSignal}`
          : `${record.id} did not stop within ${target.graceMs} ms; killed`,
      );
      await removeInstanceRecord(paths, record.id);
    }),
  );
}

export async function rolloutRelease(
  rc: RolloutContext,
  ctx: EnvironmentContext,
  release: Release,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<void> {
  const target = localTarget(ctx);
  const { paths } = rc;
  const slugDir = await slugDirFor(rc.home, release.artifact);
  const short = release.sha?.slice(0, 7) ?? `v${release.version}`;
  const manifest = await readManifest(slugDir, `commit ${short}`);
  if (!manifest.web) {
    throw new AppError(
      'DEPLOY_FAILED',
      `slipway.json at ${short} has no "web" command, so there is nothing to run. Add one (e.g. "node server.js") and deploy again.`,
    );
  }
  const before = await readServing(paths);
  const keeps = before ? `v${before.version} keeps serving` : 'nothing was serving before';
  const cancelled = (): AppError =>
    new AppError('DEPLOY_FAILED', `The rollout of v${release.version} was cancelled; ${keeps}.`);

  reporter.step(`Start ${plural(target.instances, 'instance')}`, `Run "${manifest.web}" for v${release.version}`);
  const proxy = await ensureProxy(paths, target.port, rc.proxyScript());
  reporter.log(`Proxy on 127.0.0.1:${target.port} (pid ${proxy.pid})`);
  const started: StartedInstance[] = [];
  try {
    for (let index = 1; index <= target.instances; index++) {
      const instance = await startInstance({
        paths,
        release,
        slugDir,
        command: manifest.web,
        index,
        environment: ctx.environment.name,
        supervisorScript: join(dirname(rc.proxyScript()), SUPERVISOR_FILE),
      });
      started.push(instance);
      reporter.log(`Started ${instance.record.id} (pid ${instance.record.pid}) on 127.0.0.1:${instance.record.port}`);
    }
    if (signal.aborted) throw cancelled();

    const { healthCheck } = target;
    reporter.step('Health check', `GET ${healthCheck.path} on each new instance`);
    const results = await Promise.all(
      started.map(async (instance) => {
        const result = await waitUntilHealthy(instance.record.port, healthCheck, instance.exitCode, signal);
        reporter.log(
          result.ok
            ? `${instance.record.id} is healthy`
            : `${instance.record.id} failed its health check: ${result.error}`,
        );
        return { instance, result };
      }),
    );
    if (signal.aborted) throw cancelled();
    const failedCheck = results.find((entry) => !entry.result.ok);
    if (failedCheck && !failedCheck.result.ok) {
      const output = (await tailFile(failedCheck.instance.record.logFile, 5))
        .map((line) => parseLine(line, '').text)
        .join(' | ');
      throw new AppError(
        'DEPLOY_FAILED',
        `v${release.version} did not become healthy: ${failedCheck.instance.record.id} ${failedCheck.result.error}. ` +
          `${output ? `Its last output: ${output}. ` : 'It printed nothing. '}The new instances were stopped and ${keeps}.`,
        { details: { instance: failedCheck.instance.record.id, healthCheck: failedCheck.result.error, output } },
      );
    }

    reporter.step('Route traffic', `Send 127.0.0.1:${target.port} to v${release.version}`);
    await setUpstreams(
      proxy,
      started.map(({ record }) => ({ id: record.id, port: record.port })),
    );
    await writeServing(paths, {
      version: release.version,
      instances: started.map(({ record }) => record.id),
      at: new Date().toISOString(),
    });
    reporter.log(`127.0.0.1:${target.port} now serves v${release.version}`);
  } catch (error) {
    await kill(
      paths,
      started.map(({ record }) => record),
    );
    throw error;
  }

  // Everything not just started: the previous release, and leftovers of interrupted rollouts.
  const fresh = new Set(started.map(({ record }) => record.id));
  const old = (await listInstanceRecords(paths)).filter((record) => !fresh.has(record.id));
  reporter.step(
    'Drain old instances',
    old.length === 0 ? 'Nothing to drain' : `${target.stopSignal}, then up to ${target.graceMs} ms to finish`,
  );
  await drain(paths, old, target, reporter);
}
