// Opens what a workspace is made of — pipelines, activity, deploy leases — for this machine's own
// workspace or a team's in S3, and lets a running Slipway switch between them (team.join / team.leave).
import { join } from 'node:path';
import type { TeamLocation, TeamStatus } from '../../shared/contract/team.js';
import { AppError } from '../../shared/errors.js';
import type { Pipeline } from '../../shared/model.js';
import type { AuditStore } from '../audit/audit-store.js';
import { openAuditStore } from '../audit/open-audit-store.js';
import { openWorkspace, type WorkspaceStore } from '../workspace/workspace-store.js';
import { createSpooledAuditStore, type SpooledAuditStore } from './audit-spool.js';
import { noLeases, type DeployLeases } from './deploy-lease.js';
import { describeLocation, normalPrefix } from './s3-location.js';
import { readTeamFile, writeTeamFile } from './team-file.js';
import type { WebhookStore } from '../webhooks/webhook-store.js';

export interface WorkspaceParts {
  readonly workspace: WorkspaceStore;
  readonly audit: AuditStore;
  readonly leases: DeployLeases;
  readonly spool: SpooledAuditStore | undefined;
  readonly team: TeamLocation | undefined;
  /** The team's webhooks (in the bucket); undefined: this machine's own. */
  readonly webhooks: WebhookStore | undefined;
  dispose(): void;
}

export interface PartsOptions {
  readonly home: string;
  readonly seed?: (home: string) => Promise<Pipeline[]>;
  readonly log: (message: string, error?: unknown) => void;
}

const spoolFolder = (home: string): string => join(home, 'spool', 'activity');

export async function openWorkspaceParts(
  options: PartsOptions,
  team: TeamLocation | undefined,
): Promise<WorkspaceParts> {
  if (!team) {
    const workspace = await openWorkspace(options.home, options.seed ? { seed: options.seed } : {});
    const setting = await workspace.activityStore();
    const store = await openAuditStore(options.home, setting);
    // A feed in S3 can be away; a folder cannot.
    const spool =
      setting.kind === 's3' ? createSpooledAuditStore(store, spoolFolder(options.home), options) : undefined;
    return {
      workspace,
      audit: spool ?? store,
      leases: noLeases,
      spool,
      team,
      webhooks: undefined,
      dispose: () => spool?.dispose(),
    };
  }
  const [
    { createTeamS3Client },
    { createS3WorkspaceStore },
    { createS3AuditStore },
    { createS3DeployLeases },
    { createS3WebhookStore },
  ] = await Promise.all([
    import('./s3-client.js'),
    import('./s3-workspace-store.js'),
    import('../audit/s3-audit-store.js'),
    import('./deploy-leases.js'),
    import('./s3-webhook-store.js'),
  ]);
  const client = createTeamS3Client(team);
  const feed = createS3AuditStore({ client, bucket: team.bucket, prefix: `${normalPrefix(team.prefix)}activity` });
  const spool = createSpooledAuditStore(feed, spoolFolder(options.home), options);
  return {
    workspace: createS3WorkspaceStore(team, client),
    audit: spool,
    leases: createS3DeployLeases(team, client),
    spool,
    team,
    webhooks: createS3WebhookStore(team, client, join(options.home, 'webhooks')),
    dispose: () => {
      spool.dispose();
      client.destroy();
    },
  };
}

/** Forwards every call to whatever `current()` is at the time of the call. */
export function delegate<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = current();
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface TeamSwitch {
  readonly parts: () => WorkspaceParts;
  status(): Promise<TeamStatus>;
  join(location: TeamLocation): Promise<{ description: string; pipelines: number }>;
  leave(): Promise<{ description: string }>;
  /** Gives spooled events a last short chance to go up, then lets go. */
  dispose(): Promise<void>;
}

export async function openTeamSwitch(options: PartsOptions): Promise<TeamSwitch> {
  let parts = await openWorkspaceParts(options, await readTeamFile(options.home));
  const swap = (next: WorkspaceParts): void => {
    const old = parts;
    parts = next;
    old.dispose();
  };
  return {
    parts: () => parts,
    async status() {
      return {
        ...(parts.team ? { team: parts.team } : {}),
        description: parts.team ? describeLocation(parts.team) : parts.workspace.home,
        spooled: (await parts.spool?.pending()) ?? 0,
        leases: await parts.leases.list(),
      };
    },
    async join(location) {
      const next = await openWorkspaceParts(options, location);
      try {
        // Read before saving: a wrong bucket, region or missing permission is refused here, not later.
        const pipelines = await next.workspace.list();
        await next.audit.list({ limit: 1 });
        await next.leases.list();
        await writeTeamFile(options.home, location);
        swap(next);
        return { description: describeLocation(location), pipelines: pipelines.length };
      } catch (error) {
        next.dispose();
        throw error;
      }
    },
    async leave() {
      if (!parts.team) {
        throw new AppError('CONFLICT', 'This workspace is not a team one; there is nothing to leave.');
      }
      await writeTeamFile(options.home, undefined);
      swap(await openWorkspaceParts(options, undefined));
      return { description: parts.workspace.home };
    },
    async dispose() {
      const spool = parts.spool;
      if (spool && (await spool.pending()) > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([spool.flush(), new Promise((r) => (timer = setTimeout(r, 3_000)))]);
        clearTimeout(timer);
      }
      parts.dispose();
    },
  };
}
