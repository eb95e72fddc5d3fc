// The team's AuditStore: one object per event in an S3 bucket. Keys list newest first (see
// audit-keys.ts), so the feed's latest page is one ListObjectsV2 call and filters skip objects by name.
// Each event also gets an empty marker in a time index (`<prefix>-time/`, in the order written), so
// watchers find teammates' new events with one ListObjectsV2 + StartAfter per poll, not a re-read.
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { AppError } from '../../shared/errors.js';
import { auditEventSchema, type AuditEvent } from '../../shared/model.js';
import { toDisposable } from '../util/disposable.js';
import { auditKey, keyMatches, parseTimeIndexKey, timeIndexKey, timeIndexStart } from './audit-keys.js';
import type { AuditFilter, AuditPage, AuditStore } from './audit-store.js';

export interface S3AuditStoreOptions {
  readonly bucket: string;
  /** Folder inside the bucket, e.g. `slipway/activity/`. */
  readonly prefix?: string;
  readonly client: S3Client;
  /** How often watchers look for teammates' new events. */
  readonly pollMs?: number;
  /** This machine's clock, which stamps time-index markers (tests give one that runs behind). */
  readonly now?: () => number;
}

const LIST_PAGE = 1_000;
/**
 * Writers' clocks differ: each poll lists from this far before the newest event seen (or now, if that
 * is earlier) and drops keys already seen, so an event stamped a little in the past is still found.
 */
export const CLOCK_SKEW_MS = 60_000;

const isPreconditionFailed = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;

function storeError(action: string, bucket: string, error: unknown): AppError {
  const name = (error as { name?: string }).name ?? '';
  if (name === 'AccessDenied' || name === 'Forbidden') {
    return new AppError('PROVIDER_DENIED', `Access to the activity bucket ${bucket} was denied (s3:${action}).`, {
      cause: error,
    });
  }
  if (name === 'NoSuchBucket') {
    return new AppError(
      'NOT_FOUND',
      `The activity bucket ${bucket} does not exist. Create it or fix the workspace setting.`,
      { cause: error },
    );
  }
  return new AppError('PROVIDER_UNAVAILABLE', `The activity bucket ${bucket} could not be reached (s3:${action}).`, {
    cause: error,
  });
}

export function createS3AuditStore(options: S3AuditStoreOptions): AuditStore {
  const { bucket, client } = options;
  const prefix = options.prefix ? options.prefix.replace(/\/?$/, '/') : '';
  const timePrefix = prefix ? `${prefix.slice(0, -1)}-time/` : 'activity-time/';

  const readEvent = async (key: string): Promise<AuditEvent | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const parsed = auditEventSchema.safeParse(JSON.parse((await object.Body?.transformToString()) ?? ''));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      throw storeError('GetObject', bucket, error);
    }
  };

  /** Object names under the prefix, in key order (newest first), after `startAfter`. */
  async function* keysAfter(startAfter: string | undefined, pageSize: number): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            // Events are flat under the prefix; with no prefix this leaves the time index out.
            Delimiter: '/',
            MaxKeys: pageSize,
            ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: prefix + startAfter } : {}),
          }),
        );
      } catch (error) {
        throw storeError('ListBucket', bucket, error);
      }
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key.slice(prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  return {
    description: `s3://${bucket}/${prefix}`,

    async append(event, fixedKey) {
      const key = fixedKey ?? auditKey(event);
      const body = JSON.stringify(auditEventSchema.parse(event));
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: prefix + key,
            Body: body,
            ContentType: 'application/json',
            // Append-only: never overwrite an event, even one with the same key.
            IfNoneMatch: '*',
          }),
        );
      } catch (error) {
        if (!isPreconditionFailed(error)) throw storeError('PutObject', bucket, error);
        // A retry of a write whose answer was lost finds its own event there: that is a success.
        const existing = await readEvent(prefix + key);
        if (!existing || JSON.stringify(existing) !== body)
          throw new AppError(
            'CONFLICT',
            `An activity event named ${key} already exists in s3://${bucket}/${prefix}; events are never overwritten.`,
            { cause: error },
          );
      }
      // The marker comes second: a failure here fails the append, and the retry (or the spool) finds
      // the event already written and writes only the marker.
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: timePrefix + timeIndexKey(key, (options.now ?? Date.now)()),
            Body: new Uint8Array(0),
            IfNoneMatch: '*',
          }),
        );
      } catch (error) {
        if (!isPreconditionFailed(error)) throw storeError('PutObject', bucket, error);
      }
    },

    async list(filter: AuditFilter & { limit: number; cursor?: string | undefined }): Promise<AuditPage> {
      const events: AuditEvent[] = [];
      // Without a filter, one page of keys is exactly what the feed needs: one list call.
      const pageSize = filter.pipeline ? LIST_PAGE : filter.limit + 1;
      let last: string | undefined;
      let more = false;
      for await (const key of keysAfter(filter.cursor, pageSize)) {
        if (!keyMatches(key, filter)) continue;
        if (events.length === filter.limit) {
          more = true;
          break;
        }
        const event = await readEvent(prefix + key);
        last = key;
        if (event) events.push(event);
      }
      return { events, cursor: more ? last : undefined };
    },

    watch(listener) {
      const pollMs = options.pollMs ?? 5_000;
      /** Feed keys seen, with their marker's time, kept for the skew window (a retried write can leave two markers). */
      const seen = new Map<string, number>();
      let newestMs = Date.now();
      let primed = false;
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const poll = async (): Promise<void> => {
        const from = Math.min(newestMs, Date.now()) - CLOCK_SKEW_MS;
        try {
          let token: string | undefined;
          do {
            const page = await client.send(
              new ListObjectsV2Command({
                Bucket: bucket,
                Prefix: timePrefix,
                ...(token ? { ContinuationToken: token } : { StartAfter: timePrefix + timeIndexStart(from) }),
              }),
            );
            for (const object of page.Contents ?? []) {
              const name = object.Key?.slice(timePrefix.length) ?? '';
              const parsed = parseTimeIndexKey(name);
              if (!parsed || seen.has(parsed.feedKey)) continue;
              // The first look only learns what is there, so old events are not replayed.
              const event = primed ? await readEvent(prefix + parsed.feedKey) : undefined;
              // Marked seen only once read: a blip in between means the next poll reads it again.
              seen.set(parsed.feedKey, parsed.ms);
              newestMs = Math.max(newestMs, parsed.ms);
              if (event && !stopped) listener(event);
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
          } while (token && !stopped);
          primed = true;
          for (const [feedKey, ms] of seen) if (ms < from) seen.delete(feedKey);
        } catch {
          // A network blip; the next poll tries again from the same point.
        }
        if (!stopped) timer = setTimeout(() => void poll(), pollMs);
      };
      void poll();
      return toDisposable(() => {
        stopped = true;
        if (timer) clearTimeout(timer);
      });
    },
  };
}
