import { describe, expect, it } from 'vitest';
import type { LogTailEvent } from '../../shared/contract/index.js';
import type { LogLine } from '../../shared/model.js';
import type { LogTailChunk } from '../providers/capabilities.js';
import { boundedTail } from './bounded-tail.js';

const line = (n: number): LogLine => ({
  id: String(n),
  time: new Date(0).toISOString(),
  instance: 'web.1',
  text: `line ${n}`,
});

async function* batches(total: number, size: number): AsyncIterable<LogTailChunk> {
  for (let n = 0; n < total; n += size) {
    yield { type: 'lines', lines: Array.from({ length: Math.min(size, total - n) }, (_, i) => line(n + i)) };
    await Promise.resolve();
  }
}

const texts = (events: LogTailEvent[]): string[] =>
  events.flatMap((event) => (event.type === 'lines' ? event.lines.map((l) => l.text) : []));

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('bounded log tail', () => {
  it('passes every line, in order, to a reader that keeps up', async () => {
    const events: LogTailEvent[] = [];
    const tail = boundedTail(
      () => Promise.resolve(batches(5_000, 100)),
      (event) => events.push(event),
    );
    await until(() => texts(events).length === 5_000);
    await tail.dispose();
    expect(texts(events)).toEqual(Array.from({ length: 5_000 }, (_, i) => `line ${i}`));
    expect(events.some((event) => event.type === 'skipped')).toBe(false);
  });

  it('holds at most its cap for a reader that is behind, then says how many lines it skipped', async () => {
    const events: LogTailEvent[] = [];
    let backlog = Number.MAX_SAFE_INTEGER;
    const tail = boundedTail(
      () => Promise.resolve(batches(50_000, 500)),
      (event) => events.push(event),
      { maxLines: 1_000, backlog: () => backlog, retryMs: 1 },
    );
    await until(() => tail.held === 1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
    expect(tail.held).toBe(1_000);
    backlog = 0;
    await until(() => texts(events).length === 1_000);
    await tail.dispose();
    expect(events[0]).toEqual({ type: 'skipped', count: 49_000, reason: 'behind' });
    // What follows the marker is the newest lines, still in order.
    expect(texts(events)).toEqual(Array.from({ length: 1_000 }, (_, i) => `line ${49_000 + i}`));
  });

  it('ends with an error event the reader can show when the source cannot start', async () => {
    const events: LogTailEvent[] = [];
    const { AppError } = await import('../../shared/errors.js');
    const tail = boundedTail(
      () => Promise.reject(new AppError('NOT_FOUND', 'There is no environment named "qa".')),
      (event) => events.push(event),
    );
    await until(() => events.length > 0);
    await tail.dispose();
    expect(events).toEqual([{ type: 'error', code: 'NOT_FOUND', message: 'There is no environment named "qa".' }]);
  });

  it('stops reading the source once disposed', async () => {
    let read = 0;
    async function* endless(signal: AbortSignal): AsyncIterable<LogTailChunk> {
      while (!signal.aborted) {
        read++;
        yield { type: 'lines', lines: [line(read)] };
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    const tail = boundedTail(
      (signal) => Promise.resolve(endless(signal)),
      () => undefined,
    );
    await until(() => read > 3);
    await tail.dispose();
    const after = read;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(read - after).toBeLessThanOrEqual(1);
  });
});
