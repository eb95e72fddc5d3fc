import { describe, expect, it } from 'vitest';
import { WritePump } from './write-pump.js';

/** Stands in for xterm's write: parses one piece per macrotask, as xterm does at the earliest. */
function fakeTerminal() {
  const written: string[] = [];
  let outstanding = 0;
  let mostOutstanding = 0;
  return {
    written,
    mostOutstanding: () => mostOutstanding,
    write(data: string, parsed: () => void) {
      outstanding += 1;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
      setTimeout(() => {
        written.push(data);
        outstanding -= 1;
        parsed();
      });
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('WritePump', () => {
  it('keeps the order, writes one piece at a time, merges small pieces up to the cap', async () => {
    const term = fakeTerminal();
    let parsed = 0;
    const pump = new WritePump(
      (data, done) => term.write(data, done),
      (chars) => (parsed += chars),
      10,
    );
    pump.push('first');
    for (const piece of ['ab', 'cd', 'ef', 'gh', 'ij', 'klmnopqrstu']) pump.push(piece);
    await settle();
    expect(term.written.join('')).toBe('firstabcdefghijklmnopqrstu');
    expect(term.mostOutstanding()).toBe(1);
    expect(term.written.slice(1)).toEqual(['abcdefghij', 'klmnopqrstu']);
    expect(parsed).toBe('firstabcdefghijklmnopqrstu'.length);
    pump.dispose();
  });

  it('writes an echo in the task that received it when nothing is queued', () => {
    const writes: string[] = [];
    const pump = new WritePump(
      (data) => writes.push(data),
      () => undefined,
    );
    pump.push('k');
    expect(writes).toEqual(['k']);
    pump.dispose();
  });

  it('drops what is queued once disposed', async () => {
    const term = fakeTerminal();
    const pump = new WritePump(
      (data, done) => term.write(data, done),
      () => undefined,
      4,
    );
    pump.push('abcd');
    pump.push('efgh');
    pump.dispose();
    await settle();
    expect(term.written).toEqual(['abcd']);
  });
});
