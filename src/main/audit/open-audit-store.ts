// Makes the AuditStore a workspace's setting asks for. The S3 client is only loaded for S3.
import { join } from 'node:path';
import type { ActivityStoreSetting } from '../../shared/model.js';
import type { AuditStore } from './audit-store.js';
import { createFsAuditStore } from './fs-audit-store.js';

export async function openAuditStore(home: string, setting: ActivityStoreSetting): Promise<AuditStore> {
  if (setting.kind === 'folder') return createFsAuditStore(join(home, 'activity'));
  // Whole modules of ours, loaded on demand: a dynamic import of the SDK package itself does not survive bundling.
  const [{ createTeamS3Client }, { createS3AuditStore }] = await Promise.all([
    import('../team/s3-client.js'),
    import('./s3-audit-store.js'),
  ]);
  const client = createTeamS3Client(setting);
  return createS3AuditStore({ client, bucket: setting.bucket, ...(setting.prefix ? { prefix: setting.prefix } : {}) });
}
