import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.js';

describe('SerialQueue', () => {
  it('runs jobs of one key in order, and a failure does not drop the jobs behind it', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('staging', job('a')),
      queue.run('staging', job('b', true)),
      queue.run('staging', job('c')),
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets different keys run side by side', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = queue.run('production', async () => {
      log.push('production waiting');
      await gate;
      log.push('production done');
    });
    await queue.run('staging', async () => log.push('staging ran'));
    release();
    await slow;
    expect(log).toEqual(['production waiting', 'staging ran', 'production done']);
  });
});

describe('SerialQueue reservations', () => {
  it('keeps the order places were reserved in, whatever order the jobs are handed over', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = queue.reserve('staging');
    const second = queue.reserve('staging');
    const cancelled = queue.reserve('staging');
    const third = queue.reserve('staging');
    const runs = [third.run(async () => log.push('third')), second.run(async () => log.push('second'))];
    cancelled.cancel();
    runs.push(first.run(async () => log.push('first')));
    await Promise.all(runs);
    expect(log).toEqual(['first', 'second', 'third']);
  });
});
