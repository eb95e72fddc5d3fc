import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

const all = <T>(ring: RingBuffer<T>): (T | undefined)[] => Array.from({ length: ring.length }, (_, i) => ring.at(i));

describe('ring buffer', () => {
  it('keeps the newest items in order once it is full, and counts what fell off', () => {
    const ring = new RingBuffer<number>(4);
    ring.push([1, 2, 3]);
    expect(all(ring)).toEqual([1, 2, 3]);
    ring.push([4, 5, 6]);
    expect(all(ring)).toEqual([3, 4, 5, 6]);
    expect(ring.dropped).toBe(2);
    expect(ring.at(4)).toBeUndefined();
    ring.clear();
    expect(ring.length).toBe(0);
  });

  it('holds exactly its capacity after far more pushes', () => {
    const ring = new RingBuffer<number>(100_000);
    for (let batch = 0; batch < 25; batch++) ring.push(Array.from({ length: 10_000 }, (_, i) => batch * 10_000 + i));
    expect(ring.length).toBe(100_000);
    expect(ring.at(0)).toBe(150_000);
    expect(ring.at(99_999)).toBe(249_999);
  });
});
