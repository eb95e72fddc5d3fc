// The contract fuzz through the third transport: generated command lines against the built CLI
// (bin/slipway, one cold process each), on a workspace with a live release. Every run must end with
// exit 0, or exit 1/2 and one JSON error envelope with a named code other than INTERNAL; no stack, no
// signal, no hang; a line refused for bad input changes nothing in the workspace. Prints a FUZZ SUMMARY line (transport=cli).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeSchema } from '../../shared/errors.js';
import { COMMANDS, GLOBAL_OPTIONS } from '../cli/commands.js';
import { stopAllLocal } from '../providers/local/index.js';
import { fingerprint } from './contract-fuzz.js';
import { HOSTILE_STRINGS } from './schema-arbitrary.js';

const BIN = join(process.cwd(), 'bin', 'slipway.js');
const RUNS = Number(process.env.SLIPWAY_CLI_FUZZ_RUNS ?? 300);
/** Commands that hold the terminal or run what they are given: not for random input. */
const LONG_RUNNING = new Set(['serve', 'ps:exec', 'run']);
let home: string;

const counts = { inputs: 0, accepted: 0, refusals: 0, internal: 0, crashes: 0, unnamed: 0, hangs: 0, stateChanged: 0 };
/** Refusals for bad input, which must leave the workspace as it was. */
const VALIDATION = new Set(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED']);
const failures: string[] = [];

const word = fc
  .oneof(
    fc.constantFrom(...HOSTILE_STRINGS, 'demo', 'staging', 'v1', 'v0', 'v99999999999', 'A=1', '=', 'KEY=', '--', '-'),
    fc.string({ maxLength: 30 }),
    fc.integer({ min: -5, max: 1_000_000 }).map(String),
    // A command line cannot carry NUL.
  )
  .filter((w) => !w.includes('\0'));

const argvArbitrary: fc.Arbitrary<string[]> = fc
  .constantFrom(...COMMANDS.filter((c) => !LONG_RUNNING.has(c.name)))
  .chain((command) => {
    const options = Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).filter(
      ([name]) => name !== 'help' && name !== 'json' && name !== 'tail' && name !== 'open',
    );
    const option: fc.Arbitrary<string[]> = options.length
      ? fc
          .constantFrom(...options)
          .chain(([name, spec]) =>
            spec.type === 'boolean' ? fc.constant([`--${name}`]) : word.map((v) => [`--${name}`, v]),
          )
      : fc.constant([]);
    return fc
      .tuple(
        // Half start from a real pipeline and environment, so the input reaches past "not found".
        fc.oneof(fc.constant(['demo', '--env', 'staging']), fc.array(word, { maxLength: 3 })),
        fc.array(word, { maxLength: 2 }),
        fc.array(option, { maxLength: 3 }),
        fc.option(fc.constantFrom('--bogus', '-z', '--env'), { nil: undefined }),
      )
      .map(([start, args, opts, extra]) => [
        command.name,
        // First, so a `--` among the generated words cannot turn it into a passthrough word.
        '--json',
        ...start,
        ...args,
        ...opts.flat(),
        ...(extra ? [extra] : []),
      ]);
  });

function runCli(
  argv: readonly string[],
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: {
        ...process.env,
        SLIPWAY_HOME: home,
        // Cloud calls answer at once (a closed local port), with no retries: the fuzz is about our code.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_MAX_ATTEMPTS: '1',
        AWS_ACCESS_KEY_ID: 'fuzz',
        AWS_SECRET_ACCESS_KEY: 'fuzz',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 30_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

async function check(argv: readonly string[]): Promise<void> {
  counts.inputs++;
  const before = await fingerprint(home);
  const { code, signal, stdout, stderr, hung } = await runCli(argv);
  const label = JSON.stringify(argv).slice(0, 200);
  if (hung) {
    counts.hangs++;
    failures.push(`hang: ${label}`);
    return;
  }
  let envelope: { ok?: boolean; error?: { code?: unknown } } | undefined;
  try {
    envelope = JSON.parse(stdout) as typeof envelope;
  } catch {
    envelope = undefined;
  }
  const stack = /\n\s+at .+:\d+:\d+/.test(stderr);
  if (signal !== null || stack || (code !== 0 && code !== 1 && code !== 2)) {
    counts.crashes++;
    failures.push(`crash (exit ${code} ${signal ?? ''}): ${label} ${stderr.slice(0, 300)}`);
  } else if (code === 0) counts.accepted++;
  else if (envelope?.ok === false && envelope.error?.code === 'INTERNAL') {
    counts.internal++;
    failures.push(`INTERNAL: ${label} ${stdout.slice(0, 300)}`);
  } else if (envelope?.ok !== false || !errorCodeSchema.safeParse(envelope.error?.code).success) {
    counts.unnamed++;
    failures.push(`unnamed refusal (exit ${code}): ${label} ${stdout.slice(0, 200)} ${stderr.slice(0, 200)}`);
  } else {
    counts.refusals++;
    const refused = String(envelope.error?.code);
    if (VALIDATION.has(refused) && (await fingerprint(home)) !== before) {
      counts.stateChanged++;
      failures.push(`state changed by a refused ${refused}: ${label}`);
    }
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-fuzz-'));
  // A release on staging, so config, rollback and ps inputs reach past "no release yet".
  const deployed = await runCli(['deploy', 'demo', '--env', 'staging', '--ref', 'HEAD', '--json']);
  if (deployed.code !== 0) throw new Error(`setup deploy failed: ${deployed.stdout} ${deployed.stderr}`);
}, 120_000);

afterAll(async () => {
  await stopAllLocal(home).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
  console.log(
    `FUZZ SUMMARY transport=cli inputs=${counts.inputs} accepted=${counts.accepted} refusals=${counts.refusals} internal=${counts.internal} crashes=${counts.crashes} unnamed=${counts.unnamed} hangs=${counts.hangs} state_changed=${counts.stateChanged}`,
  );
});

describe('CLI fuzz', () => {
  it(`${RUNS} generated command lines: no INTERNAL, no crash or hang, every refusal a named code, nothing changed by a refusal`, async () => {
    const samples = fc.sample(argvArbitrary, RUNS);
    // One at a time, so the workspace before and after a refused line is that line's doing.
    for (const argv of samples) await check(argv);
    expect(failures).toEqual([]);
    expect(counts.inputs).toBe(RUNS);
  }, 900_000);
});
