// The S3 client for a team location. Imported statically and loaded as a whole module on demand: a
// dynamic import of the SDK package itself does not survive bundling.
import { S3Client } from '@aws-sdk/client-s3';
import type { TeamLocation } from '../../shared/contract/team.js';

export function createTeamS3Client(location: TeamLocation): S3Client {
  // No endpoint is set here, so AWS_ENDPOINT_URL(_S3) is honoured; credentials come from the standard chain.
  return new S3Client({
    region: location.region,
    ...(location.profile ? { profile: location.profile } : {}),
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
  });
}
