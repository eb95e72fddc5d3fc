// A bucket of its own on the shared AWS emulator (AWS_ENDPOINT_URL), for tests of the S3 activity feed.
// Tests keep apart by unique bucket names; the emulator is never reset.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';

export interface EmulatorBucket {
  readonly name: string;
  readonly client: S3Client;
}

export async function createEmulatorBucket(purpose: string): Promise<EmulatorBucket> {
  const name = `${purpose}-${randomBytes(4).toString('hex')}`;
  const client = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return { name, client };
}
