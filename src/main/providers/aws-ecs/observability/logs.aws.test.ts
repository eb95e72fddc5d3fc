// ECS logs against the AWS emulator: lines written with PutLogEvents reach the live tail (StartLiveTail)
// and the FilterLogEvents fallback, and search pages through them newest first.
import { StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../shared/model.js';
import type { LogTailChunk } from '../../capabilities.js';
import { ObservabilityClients } from './clients.js';
import { createEcsObservability, type EcsObservabilityOptions } from './index.js';
import { emulatorEnvironment, REGION, type EmulatorEnvironment } from './testing/emulator-environment.js';

const made: { env: EmulatorEnvironment; dispose: () => void }[] = [];
afterEach(() => made.splice(0).forEach(({ env, dispose }) => (dispose(), env.dispose())));

async function setUp(options: EcsObservabilityOptions = {}) {
  const env = await emulatorEnvironment();
  const obs = createEcsObservability(env.rt, { reconnectMs: 200, pollMs: 200, ...options });
  made.push({ env, dispose: () => obs.dispose() });
  return { env, obs };
}

/** Reads the tail until `done` says it has what it waits for (or 20 s pass), then ends it. */
async function follow(
  tail: AsyncIterable<LogTailChunk>,
  controller: AbortController,
  done: (lines: LogLine[], notices: string[]) => boolean,
): Promise<{ lines: LogLine[]; notices: string[] }> {
  const lines: LogLine[] = [];
  const notices: string[] = [];
  const timer = setTimeout(() => controller.abort(), 20_000);
  for await (const chunk of tail) {
    if (chunk.type === 'lines') lines.push(...chunk.lines);
    if (chunk.type === 'notice') notices.push(chunk.message);
    if (done(lines, notices)) break;
  }
  clearTimeout(timer);
  controller.abort();
  return { lines, notices };
}

describe('ECS logs (emulator)', () => {
  it('tails a line written after the tail started, with its instance and release', async () => {
    const { env, obs } = await setUp();
    const task = await env.runTask();
    await env.write(task, [{ timestamp: Date.now() - 60_000, message: 'written before the tail' }]);
    // The emulator sends a session every line the group holds; the tail keeps those ingested after it
    // opened, allowing 2 s for a clock that runs ahead of AWS's.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const controller = new AbortController();
    const tail = obs.logs.tail(env.ctx, {}, controller.signal);
    setTimeout(() => void env.write(task, [{ timestamp: Date.now(), message: 'GET /checkout 200\n' }]), 500);
    const { lines } = await follow(tail, controller, (seen) => seen.some((l) => l.text === 'GET /checkout 200'));
    expect(lines.map((l) => l.text)).toEqual(['GET /checkout 200']);
    expect(lines[0]).toMatchObject({ instance: task, release: env.revision });
  });

  it('starts from `since` and shows each line once across reconnects', async () => {
    const { env, obs } = await setUp();
    const task = await env.runTask();
    const start = Date.now() - 30_000;
    await env.write(task, [
      { timestamp: start, message: 'one' },
      { timestamp: start + 1, message: 'two' },
    ]);
    const controller = new AbortController();
    const tail = obs.logs.tail(env.ctx, { since: new Date(start - 1000).toISOString() }, controller.signal);
    setTimeout(() => void env.write(task, [{ timestamp: Date.now(), message: 'three' }]), 1_000);
    // The emulator ends each Live Tail session after one update, so this tail reconnects several times.
    const { lines } = await follow(tail, controller, (seen) => seen.some((l) => l.text === 'three'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lines.map((l) => l.text)).toEqual(['one', 'two', 'three']);
  });

  it('follows one instance', async () => {
    const { env, obs } = await setUp();
    const [a, b] = [await env.runTask(), await env.runTask()];
    const controller = new AbortController();
    const tail = obs.logs.tail(env.ctx, { instance: b }, controller.signal);
    setTimeout(() => {
      void env.write(a, [{ timestamp: Date.now(), message: 'from a' }]);
      void env.write(b, [{ timestamp: Date.now(), message: 'from b' }]);
    }, 300);
    const { lines } = await follow(tail, controller, (seen) => seen.length > 0);
    expect(lines.map((l) => [l.instance, l.text])).toEqual([[b, 'from b']]);
  });

  it('polls FilterLogEvents when StartLiveTail is refused, each event once (mock: the emulator enforces no IAM, so a stub refuses StartLiveTail)', async () => {
    const clients = new ObservabilityClients();
    const live = mockClient(await clients.liveTail({ region: REGION }));
    live.on(StartLiveTailCommand).rejects(
      Object.assign(
        new Error('User: arn:aws:iam::123456789012:user/ada is not authorized to perform: logs:StartLiveTail'),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        },
      ),
    );
    const { env, obs } = await setUp({ clients });
    const task = await env.runTask();
    const controller = new AbortController();
    const tail = obs.logs.tail(env.ctx, {}, controller.signal);
    setTimeout(() => void env.write(task, [{ timestamp: Date.now(), message: 'first' }]), 300);
    setTimeout(() => void env.write(task, [{ timestamp: Date.now(), message: 'second' }]), 900);
    const { lines, notices } = await follow(tail, controller, (seen) => seen.some((l) => l.text === 'second'));
    // Each poll reads the last 10 s again; the repeats are dropped by eventId.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines.map((l) => l.text)).toEqual(['first', 'second']);
    expect(notices.join('\n')).toMatch(/logs:StartLiveTail/);
    expect(notices.join('\n')).toMatch(/every 0 s|every \d+ s/);
    expect(live.commandCalls(StartLiveTailCommand)).toHaveLength(1);
  });

  it('searches newest first, a page at a time, with a filter pattern and an instance', async () => {
    const { env, obs } = await setUp();
    const [a, b] = [await env.runTask(), await env.runTask()];
    const base = Date.now() - 20 * 60_000;
    await env.write(
      a,
      Array.from({ length: 25 }, (_, i) => ({
        timestamp: base + i * 30_000,
        message: `a ${i} ${i % 2 ? 'ERROR' : 'ok'}`,
      })),
    );
    await env.write(b, [{ timestamp: base + 1, message: 'b 0 ERROR' }]);
    const query = { since: new Date(base - 1000).toISOString(), until: new Date().toISOString(), limit: 10 };

    const texts: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await obs.logs.search(env.ctx, { ...query, ...(nextToken ? { nextToken } : {}) });
      texts.push(...page.lines.map((l) => l.text));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(texts).toHaveLength(26);
    expect(texts[0]).toBe('a 24 ok');
    expect(texts.slice(-2)).toEqual(['b 0 ERROR', 'a 0 ok']);

    const errors = await obs.logs.search(env.ctx, { ...query, filter: 'ERROR', instance: a });
    expect(errors.lines.map((l) => l.text)).toEqual([
      'a 23 ERROR',
      'a 21 ERROR',
      'a 19 ERROR',
      'a 17 ERROR',
      'a 15 ERROR',
      'a 13 ERROR',
      'a 11 ERROR',
      'a 9 ERROR',
      'a 7 ERROR',
      'a 5 ERROR',
    ]);
    expect(errors.lines.every((l) => l.instance === a && l.release === env.revision)).toBe(true);
  });

  it('finds the newest lines of a window too dense to read whole', async () => {
    const { env, obs } = await setUp();
    const task = await env.runTask();
    const base = Date.now() - 5 * 60_000;
    await env.write(
      task,
      Array.from({ length: 3_000 }, (_, i) => ({ timestamp: base + i * 50, message: `line ${i}` })),
    );
    const page = await obs.logs.search(env.ctx, {
      since: new Date(base - 60_000).toISOString(),
      until: new Date().toISOString(),
      limit: 5,
    });
    expect(page.lines.map((l) => l.text)).toEqual(['line 2999', 'line 2998', 'line 2997', 'line 2996', 'line 2995']);
    const next = await obs.logs.search(env.ctx, {
      since: new Date(base - 60_000).toISOString(),
      until: new Date().toISOString(),
      limit: 5,
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    });
    expect(next.lines.map((l) => l.text)).toEqual(['line 2994', 'line 2993', 'line 2992', 'line 2991', 'line 2990']);
  });
});
