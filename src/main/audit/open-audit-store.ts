// Makes the AuditStore a workspace's setting asks for. The S3 client is only loaded for S3.
import { join } from 'node:path';
import type { ActivityStoreSetting } from '../../shared/model.js';
import type { AuditStore } from './audit-store.js';
import { createFsAuditStore } from './fs-audit-store.js';

export async function openAuditStore(home: string, setting: ActivityStoreSetting): Promise<AuditStore> {
  if (setting.kind === 'folder') return createFsAuditStore(join(home, 'activity'));
  const [{ S3Client }, { createS3AuditStore }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('./s3-audit-store.js'),
  ]);
  // No endpoint is set here, so AWS_ENDPOINT_URL(_S3) is honoured; credentials come from the standard chain.
  const client = new S3Client({
    region: setting.region,
    ...(setting.profile ? { profile: setting.profile } : {}),
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
  });
  return createS3AuditStore({ client, bucket: setting.bucket, ...(setting.prefix ? { prefix: setting.prefix } : {}) });
}
