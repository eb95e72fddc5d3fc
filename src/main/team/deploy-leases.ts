// Deploy leases: one S3 object per environment (`<prefix>leases/<pipeline>/<env>.json`) says who is
// deploying it, so teammates' deploys take turns instead of colliding. Taking it is a create with
// `If-None-Match: *`; renewing and taking over an expired one are `If-Match` on the ETag we read, so two
// runners can never both believe they hold it. Waiting deploys each write a queue object
// (`queue/<pipeline>/<env>/<ms>_<deployment>.json`, renewed while they wait): the lease goes to the
// oldest live entry, so a waiting deploy is never overtaken or dropped, and anyone can see the line.
import { hostname } from 'node:os';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  leaseHolderSchema,
  type EnvironmentLease,
  type LeaseHolder,
  type TeamLocation,
} from '../../shared/contract/team.js';
import type { DeployLeases } from './deploy-lease.js';
import { isNoSuchKey, isPreconditionFailed, normalPrefix, teamStoreError } from './s3-location.js';

const leaseBodySchema = z.object({
  holder: leaseHolderSchema,
  expiresAt: z.string(),
  host: z.string().optional(),
  pid: z.number().optional(),
});
type LeaseBody = z.infer<typeof leaseBodySchema>;

export interface S3LeaseOptions {
  /** How long a lease lives without renewal (default 30 s, SLIPWAY_LEASE_SECONDS). Renewed every third of it. */
  readonly ttlMs?: number;
  /** How often a waiting runner looks again (default 1 s). */
  readonly pollMs?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      if (signal.aborted) reject(signal.reason as Error);
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

const ago = (iso: string): string => {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
};

export const describeWait = (holder: LeaseHolder): string =>
  `waiting for ${holder.actor.user}: ${holder.summary}, started ${ago(holder.startedAt)}`;

export function defaultLeaseTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.SLIPWAY_LEASE_SECONDS);
  return Number.isFinite(seconds) && seconds >= 3 ? seconds * 1000 : 30_000;
}

export function createS3DeployLeases(
  location: TeamLocation,
  client: S3Client,
  options: S3LeaseOptions = {},
): DeployLeases {
  const { bucket } = location;
  const root = normalPrefix(location.prefix);
  const ttl = options.ttlMs ?? defaultLeaseTtlMs();
  const pollMs = options.pollMs ?? 1_000;
  const leaseKey = (p: string, e: string): string => `${root}leases/${p}/${e}.json`;
  const queueFolder = (p: string, e: string): string => `${root}queue/${p}/${e}/`;

  const body = (holder: LeaseHolder): string =>
    JSON.stringify({
      holder,
      expiresAt: new Date(Date.now() + ttl).toISOString(),
      host: hostname(),
      pid: process.pid,
    } satisfies LeaseBody);

  const put = async (key: string, text: string, condition: { IfNoneMatch: '*' } | { IfMatch: string }) => {
    const answer = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json', ...condition }),
    );
    return answer.ETag ?? '';
  };

  const get = async (key: string): Promise<{ body: LeaseBody; etag: string } | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const parsed = leaseBodySchema.safeParse(JSON.parse((await object.Body?.transformToString()) ?? ''));
      // An unreadable lease is treated as expired, so it can never block the environment for good.
      const fallback: LeaseBody = {
        holder: {
          actor: { user: 'unknown' },
          summary: 'unknown',
          deploymentId: '-',
          startedAt: new Date(0).toISOString(),
        },
        expiresAt: new Date(0).toISOString(),
      };
      return { body: parsed.success ? parsed.data : fallback, etag: object.ETag ?? '' };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw teamStoreError('GetObject', bucket, error);
    }
  };

  const remove = async (key: string, etag: string): Promise<void> => {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
    } catch (error) {
      if (isPreconditionFailed(error) || isNoSuchKey(error)) return; // renewed or removed by its owner meanwhile
      throw teamStoreError('DeleteObject', bucket, error);
    }
  };

  const expired = (lease: LeaseBody): boolean => Date.parse(lease.expiresAt) <= Date.now();

  /** Live queue entries, oldest first; entries whose runner stopped renewing them are removed. */
  const queue = async (pipeline: string, environment: string): Promise<{ key: string; body: LeaseBody }[]> => {
    const folder = queueFolder(pipeline, environment);
    let listed;
    try {
      listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder }));
    } catch (error) {
      throw teamStoreError('ListBucket', bucket, error);
    }
    const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])).sort();
    const entries = await Promise.all(keys.map(async (key) => ({ key, read: await get(key) })));
    const live: { key: string; body: LeaseBody }[] = [];
    for (const { key, read } of entries) {
      if (!read) continue;
      if (expired(read.body)) await remove(key, read.etag);
      else live.push({ key, body: read.body });
    }
    return live;
  };

  /** Keeps an object of ours alive; calls `lost` once it can no longer be sure it is ours. */
  const keepAlive = (key: string, holder: LeaseHolder, etag: string, lost: () => void) => {
    let current = etag;
    let validUntil = Date.now() + ttl;
    let stopped = false;
    const renew = async (): Promise<void> => {
      try {
        current = await put(key, body(holder), { IfMatch: current });
        validUntil = Date.now() + ttl;
      } catch (error) {
        // 412/404: someone took it over. Anything else: a blip, unless it lasts past our expiry.
        if (isPreconditionFailed(error) || isNoSuchKey(error) || Date.now() >= validUntil) {
          stopped = true;
          lost();
        }
      }
    };
    const timer = setInterval(
      () => {
        if (!stopped) void renew();
      },
      Math.max(500, Math.floor(ttl / 3)),
    );
    return {
      etag: () => current,
      stop: () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  };

  return {
    async acquire(request) {
      const { pipeline, environment, holder, reporter, signal } = request;
      const key = leaseKey(pipeline, environment);
      const stamp = String(Date.now()).padStart(13, '0');
      const queueKey = `${queueFolder(pipeline, environment)}${stamp}_${holder.deploymentId}.json`;
      const waitLost = new AbortController();
      let queueEtag: string;
      try {
        queueEtag = await put(queueKey, body(holder), { IfNoneMatch: '*' });
      } catch (error) {
        throw teamStoreError('PutObject', bucket, error);
      }
      const queued = keepAlive(queueKey, holder, queueEtag, () =>
        waitLost.abort(
          teamStoreError('PutObject', bucket, new Error('the place in the deploy queue could not be renewed')),
        ),
      );

      let leaseEtag: string | undefined;
      let waitedFor: string | undefined;
      let saidAt = 0;
      const sayWait = (other: LeaseHolder): void => {
        if (other.deploymentId === waitedFor && Date.now() - saidAt < 15_000) return;
        if (!waitedFor) reporter.step('Wait for a teammate');
        waitedFor = other.deploymentId;
        saidAt = Date.now();
        reporter.log(describeWait(other));
      };
      try {
        while (!leaseEtag) {
          signal.throwIfAborted();
          const line = await queue(pipeline, environment);
          const lease = await get(key);
          const live = lease && !expired(lease.body) ? lease.body.holder : undefined;
          // The holder's own queue entry may still be there for a moment; whoever is next after it goes next.
          const next = line.find((entry) => entry.body.holder.deploymentId !== live?.deploymentId);
          if (next && next.key !== queueKey) {
            sayWait(live ?? next.body.holder);
          } else if (live) {
            sayWait(live);
          } else {
            try {
              leaseEtag = await put(key, body(holder), lease ? { IfMatch: lease.etag } : { IfNoneMatch: '*' });
            } catch (error) {
              if (!isPreconditionFailed(error) && !isNoSuchKey(error)) throw teamStoreError('PutObject', bucket, error);
            }
            if (leaseEtag && lease) {
              if (!waitedFor) reporter.step('Wait for a teammate');
              waitedFor ??= lease.body.holder.deploymentId;
              reporter.log(
                `${lease.body.holder.actor.user}'s lease (${lease.body.holder.summary}) expired without being renewed: their Slipway stopped; going ahead`,
              );
              await request.onTakeover?.(lease.body.holder);
            }
          }
          if (!leaseEtag) await sleep(pollMs, AbortSignal.any([signal, waitLost.signal]));
        }
      } finally {
        queued.stop();
        await remove(queueKey, queued.etag()).catch(() => undefined);
      }
      if (waitedFor) reporter.log('the lease is ours: going ahead');

      const lost = new AbortController();
      const held = keepAlive(key, holder, leaseEtag, () => lost.abort());
      return {
        lost: lost.signal,
        async release() {
          held.stop();
          await remove(key, held.etag()).catch(() => undefined);
        },
      };
    },

    async list() {
      let listed;
      try {
        listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${root}leases/` }));
      } catch (error) {
        throw teamStoreError('ListBucket', bucket, error);
      }
      const leases: EnvironmentLease[] = [];
      for (const object of listed.Contents ?? []) {
        const match = /leases\/([a-z0-9-]+)\/([a-z0-9-]+)\.json$/.exec(object.Key ?? '');
        if (!match) continue;
        const [, pipeline, environment] = match as unknown as [string, string, string];
        const lease = await get(object.Key!);
        if (!lease || expired(lease.body)) continue;
        const waiting = (await queue(pipeline, environment))
          .map((e) => e.body.holder)
          .filter((h) => h.deploymentId !== lease.body.holder.deploymentId);
        leases.push({ pipeline, environment, holder: lease.body.holder, expiresAt: lease.body.expiresAt, waiting });
      }
      return leases;
    },
  };
}
