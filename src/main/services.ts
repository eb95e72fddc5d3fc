// Wires a workspace: providers, core use cases, audit store and the router every transport shares.
import type { SystemInfo } from '../shared/contract/index.js';
import { version } from '../shared/version.js';
import { join } from 'node:path';
import { openAuditStore } from './audit/open-audit-store.js';
import { createValueHasher } from './core/config-privacy.js';
import type { CoreDeps } from './core/core-deps.js';
import { DeploymentJournal } from './core/deployment-journal.js';
import { DeploymentTracker } from './core/deployment-tracker.js';
import { watchAlarms } from './core/alarm-watch.js';
import { createChannelHandlers, createProcedureHandlers, createStreamHandlers } from './core/handlers.js';
import { TerminalService } from './terminal/terminal-service.js';
import { currentActor } from './core/identity.js';
import { abortAll } from './core/abort-deployment.js';
import { SerialQueue } from './core/serial-queue.js';
import { createProviderRegistry, defaultProviderFactories, type ProviderFactory } from './providers/registry.js';
import { createRouter, type Router } from './router/router.js';
import type { ActivityStoreSetting, ProviderKind } from '../shared/model.js';
import { delegate, openTeamSwitch } from './team/team-workspace.js';
import { createWebhooks } from './webhooks/webhooks.js';
import type { AuditStore } from './audit/audit-store.js';
import type { TeamLocation } from '../shared/contract/team.js';
import { createMainLog } from './util/main-log.js';
import { setUnexpectedErrorHandler } from './util/unexpected-error.js';

export interface ServicesOptions {
  /** SLIPWAY_HOME: the workspace folder. Created, with the demo pipeline, on first run. */
  readonly home: string;
  /** Reconcile environments on start (window and `serve` do; one-shot CLI commands do not). */
  readonly recover?: boolean;
  /** Stand-ins for tests of the AWS path; our own providers otherwise. */
  readonly providers?: Partial<Record<ProviderKind, ProviderFactory>>;
  /** Where unexpected errors are written (never to a caller). Default: the main log, SLIPWAY_HOME/logs/slipway.log. */
  readonly log?: (message: string, error?: unknown) => void;
}

export interface Services {
  readonly router: Router;
  readonly info: () => Promise<SystemInfo>;
  /** Resolves when the start-up reconcile has finished (immediately when not asked for). */
  readonly recovered: Promise<void>;
  /** Resolves when every queued deploy has finished. */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const log = options.log ?? createMainLog(options.home);
  setUnexpectedErrorHandler(log);
  // This machine's own workspace, or the team's in S3 once joined; team.join/leave switch it while running.
  const team = await openTeamSwitch({
    home: options.home,
    seed: async (home) => [await (await import('./workspace/demo.js')).createDemoPipeline(home)],
    log,
  });
  const workspace = delegate(() => team.parts().workspace);
  const webhooks = createWebhooks({
    home: options.home,
    // A team's hooks are in its bucket, so every teammate's Slipway sends them.
    store: (local) => delegate(() => team.parts().webhooks ?? local),
    checkPipeline: (name) => workspace.get(name),
    actor: currentActor,
    log,
  });
  const feed = delegate(() => team.parts().audit);
  // Every activity event also goes to the pipeline's webhooks (queued on disk before the action returns).
  const audit: AuditStore = {
    get description() {
      return feed.description;
    },
    list: (filter) => feed.list(filter),
    watch: (listener) => feed.watch(listener),
    async append(event, key) {
      await feed.append(event, key);
      await webhooks.publishActivity(event);
    },
  };
  const providers = createProviderRegistry({ ...defaultProviderFactories(options.home), ...options.providers });
  const queue = new SerialQueue();
  const deps: CoreDeps = {
    workspace,
    providers,
    audit,
    leases: delegate(() => team.parts().leases),
    onDeployment: (phase, deployment) => webhooks.publishDeployment(phase, deployment),
    tracker: new DeploymentTracker(await DeploymentJournal.open(join(options.home, 'deployments'))),
    queue,
    hash: createValueHasher(options.home),
    inflight: new Map(),
    closing: new AbortController(),
    actor: currentActor,
    log,
  };
  const info = async (): Promise<SystemInfo> => ({
    version,
    actor: await currentActor(),
    home: options.home,
    auditStore: audit.description,
  });
  const setActivityStore = async (
    setting: ActivityStoreSetting,
  ): Promise<{ description: string; restartNeeded: boolean }> => {
    const candidate = await openAuditStore(options.home, setting);
    // Read one page first: a wrong bucket or missing permission is refused before anything is saved.
    await candidate.list({ limit: 1 });
    await workspace.setActivityStore(setting);
    return { description: candidate.description, restartNeeded: candidate.description !== audit.description };
  };
  const terminal = new TerminalService(deps);
  const teamHandlers = {
    'team.status': () => team.status(),
    'team.join': (location: TeamLocation) => team.join(location),
    'team.leave': () => team.leave(),
    ...webhooks.handlers,
  };
  const router = createRouter(
    createProcedureHandlers(deps, info, setActivityStore, terminal, teamHandlers),
    createStreamHandlers(deps),
    {
      onUnexpectedError: (error, name) => log(`${name} failed unexpectedly`, error),
      channels: createChannelHandlers(terminal),
    },
  );

  const recovered = options.recover ? recoverAll(deps) : Promise.resolve();
  // A long-running Slipway (window, serve) tells hooks about alarm changes; a one-shot CLI does not.
  const alarmHooks = options.recover
    ? webhooks.watchAlarms((pipeline, emit) => watchAlarms(deps, { pipeline }, emit))
    : undefined;

  return {
    router,
    info,
    recovered,
    idle: () => queue.idle(),
    async dispose() {
      abortAll(deps);
      alarmHooks?.dispose();
      await terminal.dispose();
      await recovered.catch(() => undefined);
      await queue.idle();
      await deps.tracker.flush();
      await providers.dispose();
      await webhooks.dispose();
      await team.dispose();
    },
  };
}

async function recoverAll(deps: CoreDeps): Promise<void> {
  const pipelines = await deps.workspace.list();
  await Promise.all(
    pipelines.flatMap((pipeline) =>
      pipeline.environments.map(async (environment) => {
        try {
          const provider = await deps.providers.get(environment.target.provider);
          // Said once, in the main log: the window or `serve` took over what a killed deploy left.
          await provider.recover({ pipeline, environment }, (line) =>
            deps.log(`${pipeline.name}/${environment.name}: ${line}`),
          );
        } catch (error) {
          deps.log(`could not bring ${pipeline.name}/${environment.name} back up`, error);
        }
      }),
    ),
  );
}
