import { describe, expect, it } from 'vitest';
import { linePath, yTicks, type Row } from './instance-lines.js';

describe('instance lines', () => {
  const x = (v: unknown): number => (Number(v) - 1000) / 10;
  const y = (v: unknown): number => 100 - Number(v);

  it('draws a path through an instance’s points and joins over a missing one', () => {
    const rows: Row[] = [
      { time: 1000, a: 10, b: 5 },
      { time: 1010, b: 6 },
      { time: 1020, a: 30.25, b: 7 },
    ];
    expect(linePath(rows, 'a', x, y)).toBe('M0.0,90.0L2.0,69.8');
    expect(linePath(rows, 'b', x, y)).toBe('M0.0,95.0L1.0,94.0L2.0,93.0');
    expect(linePath(rows, 'c', x, y)).toBe('');
  });

  it('labels the y axis with round steps from 0 to just above the highest value', () => {
    const rows = (max: number) => [{ time: 0, a: max / 2, b: max }];
    expect(yTicks(rows(43), ['a', 'b'])).toEqual([0, 10, 20, 30, 40, 50]);
    expect(yTicks(rows(60), ['a', 'b'])).toEqual([0, 20, 40, 60, 80]);
    // An idle instance still gets a readable scale.
    expect(yTicks(rows(0.1), ['a', 'b'])).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    for (const max of [0.5, 3, 17, 99, 100, 512, 1234, 8000]) {
      const ticks = yTicks(rows(max), ['a', 'b']);
      expect(ticks.length, String(max)).toBeGreaterThanOrEqual(3);
      expect(ticks.length, String(max)).toBeLessThanOrEqual(7);
      expect(ticks.at(-1), String(max)).toBeGreaterThan(max);
    }
  });
});
