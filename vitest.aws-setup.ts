// Starts the AWS emulator (a moto server none of us wrote, in ../shared/aws-emulator) for the
// `*.aws.test.ts` files, unless AWS_ENDPOINT_URL already points at one. Tests share one server and
// keep apart by naming their clusters, buckets and families uniquely, never by resetting it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function setup(): void {
  execFileSync(process.execPath, ['scripts/build-main.js'], { stdio: 'inherit' });
  if (!process.env.AWS_ENDPOINT_URL) {
    const start = resolve(process.env.SLIPWAY_AWS_EMULATOR ?? '../shared/aws-emulator', 'start');
    if (!existsSync(start)) {
      throw new Error(`No AWS emulator at ${start}: set AWS_ENDPOINT_URL or SLIPWAY_AWS_EMULATOR.`);
    }
    process.env.AWS_ENDPOINT_URL = execFileSync(start, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_REGION ??= 'us-east-1';
  // No profile or SSO settings of the machine leak into the tests.
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
}
