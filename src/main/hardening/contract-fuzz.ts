// Property-based fuzz of every contract procedure through the loopback server's HTTP and WebSocket
// transports, on a real workspace: inputs generated from the zod schemas. Counts what a user would
// notice: INTERNAL answers, crashes (no envelope, HTTP 500, a dropped socket), refusals without a named
// code, and state that changed although the call was refused.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { CALL_PATH, WS_PATH } from '../../shared/contract/bridge.js';
import { procedures, type ProcedureName } from '../../shared/contract/index.js';
import { serverMessageSchema } from '../../shared/contract/wire.js';
import { errorCodes, type Result } from '../../shared/errors.js';
import type { LoopbackServer } from '../transports/loopback-server.js';
import { arbitraryForZod } from './schema-arbitrary.js';

export interface FuzzCounts {
  transport: string;
  inputs: number;
  accepted: number;
  refusals: number;
  internal: number;
  crashes: number;
  unnamed: number;
  stateChanged: number;
  /** The first few problems, for the failure message. */
  problems: string[];
}

/** What a refused call must leave as it was: the workspace file and every release and activity file. */
export async function fingerprint(home: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string, depth: number): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'logs' || name === 'deployments' || name.endsWith('.lock') || name.endsWith('.owner')) continue;
      const path = join(dir, name);
      hash.update(path);
      if (depth < 6 && !name.includes('.')) await walk(path, depth + 1);
      if (name.endsWith('.json')) hash.update(await readFile(path).catch(() => Buffer.alloc(0)));
    }
  };
  hash.update(await readFile(join(home, 'workspace.json')).catch(() => Buffer.alloc(0)));
  await walk(join(home, 'activity'), 0);
  await walk(join(home, 'local', 'pipelines'), 0);
  return hash.digest('hex');
}

const names = Object.keys(procedures) as ProcedureName[];
export const callArbitrary = fc.oneof(
  ...names.map((name) => arbitraryForZod(procedures[name].input).map((input) => ({ name, input }))),
);

type Caller = (name: string, input: unknown) => Promise<Result<unknown> | 'crash'>;

export function httpCaller(server: LoopbackServer): Caller {
  return async (name, input) => {
    try {
      const response = await fetch(`${server.origin}${CALL_PATH}/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (response.status >= 500 && response.status !== 503 && response.status !== 502 && response.status !== 507)
        return 'crash';
      return (await response.json()) as Result<unknown>;
    } catch {
      return 'crash';
    }
  };
}

export async function wsCaller(server: LoopbackServer): Promise<{ call: Caller; close: () => void }> {
  const url = `${server.origin.replace('http', 'ws')}${WS_PATH}?token=${encodeURIComponent(server.token)}`;
  const ws = new WebSocket(url, { headers: { Origin: server.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const waiting = new Map<number, (result: Result<unknown> | 'crash') => void>();
  ws.on('message', (data) => {
    const message = serverMessageSchema.safeParse(JSON.parse(String(data)));
    if (message.success && message.data.t === 'result') waiting.get(message.data.id)?.(message.data.result);
  });
  ws.on('close', () => {
    for (const resolve of waiting.values()) resolve('crash');
  });
  return {
    call: (name, input) =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve('crash');
        const id = next++;
        waiting.set(id, (result) => {
          waiting.delete(id);
          resolve(result);
        });
        ws.send(JSON.stringify({ t: 'call', id, name, input }));
      }),
    close: () => ws.close(),
  };
}

const VALIDATION = new Set(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED']);

export async function fuzz(options: {
  transport: string;
  call: Caller;
  home: string;
  runs: number;
  seed?: number;
}): Promise<FuzzCounts> {
  const counts: FuzzCounts = {
    transport: options.transport,
    inputs: 0,
    accepted: 0,
    refusals: 0,
    internal: 0,
    crashes: 0,
    unnamed: 0,
    stateChanged: 0,
    problems: [],
  };
  const note = (problem: string): void => {
    if (counts.problems.length < 10) counts.problems.push(problem);
  };
  const samples = fc.sample(callArbitrary, { numRuns: options.runs, seed: options.seed ?? Date.now() });
  for (const { name, input } of samples) {
    counts.inputs++;
    const before = await fingerprint(options.home);
    const result = await options.call(name, input);
    const what = `${name} ${JSON.stringify(input).slice(0, 200)}`;
    if (result === 'crash') {
      counts.crashes++;
      note(`crash: ${what}`);
      continue;
    }
    if (result.ok) {
      counts.accepted++;
      continue;
    }
    counts.refusals++;
    if (result.error.code === 'INTERNAL') {
      counts.internal++;
      note(`INTERNAL: ${what}`);
    } else if (!(errorCodes as readonly string[]).includes(result.error.code) || !result.error.message) {
      counts.unnamed++;
      note(`unnamed refusal ${result.error.code}: ${what}`);
    }
    // Refused for bad input: nothing may have changed. (A deploy refused by the cloud writes its failure.)
    if (VALIDATION.has(result.error.code) && (await fingerprint(options.home)) !== before) {
      counts.stateChanged++;
      note(`state changed by a refused ${result.error.code}: ${what}`);
    }
  }
  return counts;
}

export const summaryLine = (c: FuzzCounts): string =>
  `FUZZ SUMMARY transport=${c.transport} inputs=${c.inputs} accepted=${c.accepted} refusals=${c.refusals} internal=${c.internal} crashes=${c.crashes} unnamed=${c.unnamed} state_changed=${c.stateChanged}`;
