// A Slipway server whose AWS calls go to ../shared/aws-emulator (CI starts it before `npm test`). The
// server and the CLI take their AWS settings from the environment, which is put back afterwards for
// the other specs. Without the emulator the spec is skipped, saying how to start it.
import { test } from '@playwright/test';
import { REGION } from '../../src/main/providers/aws-ecs/testing/emulator-app.js';
import { startServer, type SlipwayServer } from './server.js';

export const emulatorEndpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';
export const emulatorSdkConfig = {
  region: REGION,
  endpoint: emulatorEndpoint,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const AWS_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;

/** Starts the server in beforeAll and stops it in afterAll; `get()` answers it inside a test. */
export function useEmulatorServer(): { get(): SlipwayServer } {
  const before = Object.fromEntries(AWS_KEYS.map((key) => [key, process.env[key]]));
  let server: SlipwayServer | undefined;
  test.beforeAll(async () => {
    const reachable = await fetch(emulatorEndpoint).then(
      () => true,
      () => false,
    );
    test.skip(!reachable, `needs the AWS emulator at ${emulatorEndpoint} (../shared/aws-emulator/start)`);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emulatorEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: REGION,
    });
    server = await startServer();
  });
  test.afterAll(async () => {
    await server?.stop();
    for (const key of AWS_KEYS) {
      if (before[key] === undefined) delete process.env[key];
      else process.env[key] = before[key];
    }
  });
  return {
    get() {
      if (!server) throw new Error('The emulator server did not start.');
      return server;
    },
  };
}
