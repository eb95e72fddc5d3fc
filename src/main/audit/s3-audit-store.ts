// The team's AuditStore: one object per event in an S3 bucket. Keys list newest first (see
// audit-keys.ts), so the feed's latest page is one ListObjectsV2 call and filters skip objects by name.
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { AppError } from '../../shared/errors.js';
import { auditEventSchema, type AuditEvent } from '../../shared/model.js';
import { toDisposable } from '../util/disposable.js';
import { auditKey, keyMatches } from './audit-keys.js';
import type { AuditFilter, AuditPage, AuditStore } from './audit-store.js';

export interface S3AuditStoreOptions {
  readonly bucket: string;
  /** Folder inside the bucket, e.g. `slipway/activity/`. */
  readonly prefix?: string;
  readonly client: S3Client;
  /** How often watchers look for teammates' new events. */
  readonly pollMs?: number;
}

const LIST_PAGE = 1_000;

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
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 412) throw storeError('PutObject', bucket, error);
        // A retry of a write whose answer was lost finds its own event there: that is a success.
        const existing = await readEvent(prefix + key);
        if (existing && JSON.stringify(existing) === body) return;
        throw new AppError(
          'CONFLICT',
          `An activity event named ${key} already exists in s3://${bucket}/${prefix}; events are never overwritten.`,
          { cause: error },
        );
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
      const startedAt = new Date().toISOString();
      const seen = new Set<string>();
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const poll = async (): Promise<void> => {
        try {
          for await (const key of keysAfter(undefined, 50)) {
            if (seen.has(key)) break; // everything after it is older and already seen
            seen.add(key);
            const event = await readEvent(prefix + key);
            if (event && event.at >= startedAt && !stopped) listener(event);
          }
        } catch {
          // A network blip; the next poll tries again.
        }
        if (!stopped) timer = setTimeout(() => void poll(), options.pollMs ?? 5_000);
      };
      // The first look only learns what already exists, so old events are not replayed.
      void (async () => {
        try {
          for await (const key of keysAfter(undefined, 50)) seen.add(key);
        } catch {
          // reported by list() when the feed is opened
        }
        if (!stopped) timer = setTimeout(() => void poll(), options.pollMs ?? 5_000);
      })();
      return toDisposable(() => {
        stopped = true;
        if (timer) clearTimeout(timer);
      });
    },
  };
}
