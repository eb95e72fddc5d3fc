// What the emulator's Live Tail cannot show: a session that times out after three hours, and AWS
// sampling a busy tail. A stub answers StartLiveTail (said in each test's name); FilterLogEvents, which
// reads back the lines written while the tail reconnects, is the emulator's.
import { StartLiveTailCommand, type StartLiveTailResponseStream } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogTailChunk } from '../../capabilities.js';
import { ObservabilityClients } from './clients.js';
import { createEcsObservability } from './index.js';
import { emulatorEnvironment, REGION, type EmulatorEnvironment } from './testing/emulator-environment.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

type Session = (arn: string) => AsyncGenerator<StartLiveTailResponseStream>;

async function stubbedTail(sessions: Session[]) {
  const env: EmulatorEnvironment = await emulatorEnvironment();
  const clients = new ObservabilityClients();
  const live = mockClient(await clients.liveTail({ region: REGION }));
  let opened = 0;
  live.on(StartLiveTailCommand).callsFake((input: { logGroupIdentifiers: string[] }) => {
    const session = sessions[Math.min(opened++, sessions.length - 1)];
    return { responseStream: session?.(input.logGroupIdentifiers[0] ?? '') };
  });
  const obs = createEcsObservability(env.rt, { clients, reconnectMs: 50 });
  cleanups.push(() => (obs.dispose(), env.dispose()));
  return { env, obs, live, opened: () => opened };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(
  tail: AsyncIterable<LogTailChunk>,
  controller: AbortController,
  until: (chunks: LogTailChunk[]) => boolean,
) {
  const chunks: LogTailChunk[] = [];
  const timer = setTimeout(() => controller.abort(), 15_000);
  for await (const chunk of tail) {
    chunks.push(chunk);
    if (until(chunks)) break;
  }
  clearTimeout(timer);
  controller.abort();
  return chunks;
}

const texts = (chunks: LogTailChunk[]): string[] =>
  chunks.flatMap((c) => (c.type === 'lines' ? c.lines.map((l) => l.text) : []));

describe('ECS live tail sessions', () => {
  it('reopens a session that timed out after three hours and reads back what was written in between, once (mock: the emulator does not time sessions out)', async () => {
    let task = '';
    const made: { env?: EmulatorEnvironment } = {};
    const before = Date.now() - 1;
    const stub = await stubbedTail([
      async function* first(arn) {
        yield { sessionStart: { sessionId: 'one' } };
        yield {
          sessionUpdate: {
            sessionMetadata: { sampled: false },
            sessionResults: [
              {
                logGroupIdentifier: arn,
                logStreamName: `ecs/web/${task}`,
                message: 'before',
                timestamp: before,
                ingestionTime: Date.now(),
              },
            ],
          },
        };
        // A line lands while no session is open: only FilterLogEvents can find it.
        await made.env?.write(task, [{ timestamp: Date.now(), message: 'in between' }]);
        yield {
          SessionTimeoutException: {
            name: 'SessionTimeoutException',
            message: 'Session timed out',
            $fault: 'client',
          } as never,
        };
      },
      async function* second() {
        yield { sessionStart: { sessionId: 'two' } };
        await pause(100);
        yield { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [] } };
        await pause(10_000);
      },
    ]);
    const env = stub.env;
    made.env = env;
    task = await env.runTask();
    // Live Tail sent this line, and it is in the group too: the read-back must not show it twice.
    await env.write(task, [{ timestamp: before, message: 'before' }]);
    const controller = new AbortController();
    const chunks = await collect(stub.obs.logs.tail(env.ctx, {}, controller.signal), controller, (seen) =>
      texts(seen).includes('in between'),
    );
    await pause(300);
    expect(texts(chunks)).toEqual(['before', 'in between']);
    expect(stub.opened()).toBe(2);
    expect(chunks.some((c) => c.type === 'notice')).toBe(false);
  });

  it('says when AWS samples the tail above 500 lines a second, and when it stops (mock: the emulator never samples)', async () => {
    let task = '';
    const update = (arn: string, sampled: boolean, n: number): StartLiveTailResponseStream => ({
      sessionUpdate: {
        sessionMetadata: { sampled },
        sessionResults: Array.from({ length: n }, (_, i) => ({
          logGroupIdentifier: arn,
          logStreamName: `ecs/web/${task}`,
          message: `busy ${sampled ? 's' : 'n'} ${i}`,
          timestamp: Date.now(),
          ingestionTime: Date.now(),
        })),
      },
    });
    const stub = await stubbedTail([
      async function* busy(arn) {
        yield update(arn, true, 500);
        yield update(arn, true, 500);
        yield update(arn, false, 3);
        await pause(10_000);
      },
    ]);
    task = await stub.env.runTask();
    const controller = new AbortController();
    const chunks = await collect(
      stub.obs.logs.tail(stub.env.ctx, {}, controller.signal),
      controller,
      (seen) => texts(seen).length >= 1_003,
    );
    const notices = chunks.filter((c) => c.type === 'notice').map((c) => (c.type === 'notice' ? c.message : ''));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/sampling .* more than 500 lines a second/);
    expect(notices[1]).toMatch(/stopped sampling/);
    expect(texts(chunks)).toHaveLength(1_003);
  });
});
