// A team's webhooks live in its bucket (`<prefix>webhooks.json`, secrets included), so whichever
// teammate's Slipway makes a change sends the hooks for it. Replaced whole with `If-Match` on the ETag
// read (`If-None-Match: *` for the first hook): two teammates adding hooks at once both keep theirs.
// The delivery queue and log stay on this machine (`folder`): the Slipway that made a change sends it.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { TeamLocation } from '../../shared/contract/team.js';
import { webhookSchema } from '../../shared/contract/webhooks.js';
import { AppError } from '../../shared/errors.js';
import type { StoredHook, WebhookStore } from '../webhooks/webhook-store.js';
import { isNoSuchKey, isPreconditionFailed, normalPrefix, teamStoreError } from './s3-location.js';

const fileSchema = z.object({ version: z.literal(1), hooks: z.array(webhookSchema.extend({ secret: z.string() })) });
const ATTEMPTS = 5;

export function createS3WebhookStore(location: TeamLocation, client: S3Client, folder: string): WebhookStore {
  const { bucket } = location;
  const key = `${normalPrefix(location.prefix)}webhooks.json`;

  const read = async (): Promise<{ hooks: StoredHook[]; etag: string | undefined }> => {
    let object;
    try {
      object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNoSuchKey(error)) return { hooks: [], etag: undefined };
      throw teamStoreError('GetObject', bucket, error);
    }
    const parsed = fileSchema.safeParse(JSON.parse((await object.Body?.transformToString()) || '{}'));
    if (!parsed.success)
      throw new AppError(
        'INVALID_INPUT',
        `The team's webhooks object s3://${bucket}/${key} is not valid. Restore an earlier version of it (S3 versioning) or delete it.`,
      );
    return { hooks: parsed.data.hooks, etag: object.ETag };
  };

  return {
    folder,
    list: async () => (await read()).hooks,
    async update(change) {
      for (let attempt = 1; ; attempt++) {
        const { hooks, etag } = await read();
        const next = change(hooks);
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: `${JSON.stringify({ version: 1, hooks: next }, null, 2)}\n`,
              ContentType: 'application/json',
              ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
            }),
          );
          return next;
        } catch (error) {
          if (!isPreconditionFailed(error)) throw teamStoreError('PutObject', bucket, error);
          // A teammate changed the hooks since our read: apply the change again to theirs.
          if (attempt === ATTEMPTS)
            throw new AppError(
              'CONFLICT',
              `The team's webhooks kept changing while this change was saved (s3://${bucket}/${key}). Try again.`,
              { cause: error },
            );
        }
      }
    },
  };
}
