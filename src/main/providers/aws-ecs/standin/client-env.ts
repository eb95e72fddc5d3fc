// What points AWS SDK clients (and the AWS CLI) at a stand-in: its endpoint, keys that sign requests
// but open nothing, and the demo account's region.
import { DEMO_REGION } from './demo-account.js';

/** Variables a process needs to talk to the stand-in at `endpoint`; unset AWS_PROFILE alongside them. */
export function standInClientEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: DEMO_REGION,
  };
}
