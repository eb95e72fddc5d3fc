// Every contract procedure, fuzzed through HTTP and WebSocket on a real workspace: no INTERNAL, no crash,
// every refusal a named code, nothing changed by a refused call. `npm test` runs a few hundred inputs;
// `npm run test:chaos` runs SLIPWAY_FUZZ_RUNS (10,000 in all) and prints the same summary lines.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';
import { startLoopbackServer, type LoopbackServer } from '../transports/loopback-server.js';
import { fuzz, httpCaller, summaryLine, wsCaller } from './contract-fuzz.js';

const runsPerTransport = Number(process.env.SLIPWAY_FUZZ_RUNS ?? 300) / 2;
let home: string;
let services: Services;
let server: LoopbackServer;
const unexpected: string[] = [];

beforeAll(async () => {
  // Cloud calls answer at once (a closed local port), with no retries: the fuzz is about our code.
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_MAX_ATTEMPTS = '1';
  process.env.AWS_ACCESS_KEY_ID ??= 'fuzz';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'fuzz';
  home = await mkdtemp(join(tmpdir(), 'slipway-fuzz-'));
  services = await createServices({ home, log: (message) => unexpected.push(message) });
  server = await startLoopbackServer({ router: services.router, rendererDir: home });
  // A release on staging, so config, rollback and run inputs reach past "no release yet".
  const deployed = await services.router.call(
    'deploy',
    { pipeline: 'demo', environment: 'staging', ref: 'HEAD' },
    {
      transport: 'cli',
    },
  );
  if (!deployed.ok) throw new Error(deployed.error.message);
}, 120_000);
afterAll(async () => {
  await server?.dispose();
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('contract fuzz', () => {
  it('over HTTP: no INTERNAL, no crash, named refusals, refused calls change nothing', async () => {
    const counts = await fuzz({ transport: 'http', call: httpCaller(server), home, runs: runsPerTransport });
    console.log(summaryLine(counts));
    expect(counts.problems).toEqual([]);
    expect(counts.inputs).toBe(runsPerTransport);
    expect(unexpected).toEqual([]);
  }, 900_000);

  it('over the WebSocket: the same', async () => {
    const socket = await wsCaller(server);
    try {
      const counts = await fuzz({ transport: 'ws', call: socket.call, home, runs: runsPerTransport });
      console.log(summaryLine(counts));
      expect(counts.problems).toEqual([]);
      expect(unexpected).toEqual([]);
    } finally {
      socket.close();
    }
  }, 900_000);
});
