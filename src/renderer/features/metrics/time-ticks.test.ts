import { describe, expect, it } from 'vitest';
import { timeTicks } from './metrics-page.js';

const HOUR = 3_600_000;

describe('time axis labels', () => {
  it('labels a day every 3 hours at round local times', () => {
    const to = new Date(2026, 0, 31, 10, 17).getTime();
    const ticks = timeTicks([to - 24 * HOUR, to]);
    expect(ticks).toHaveLength(8);
    for (const tick of ticks) {
      const at = new Date(tick);
      expect([at.getHours() % 3, at.getMinutes()]).toEqual([0, 0]);
    }
    expect(ticks[0]).toBe(new Date(2026, 0, 30, 12, 0).getTime());
  });

  it('gives each range between 6 and 12 labels inside it', () => {
    const to = new Date(2026, 5, 1, 8, 41).getTime();
    for (const span of [HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR]) {
      const ticks = timeTicks([to - span, to]);
      expect(ticks.length, `${span / HOUR} h`).toBeGreaterThanOrEqual(6);
      expect(ticks.length, `${span / HOUR} h`).toBeLessThanOrEqual(12);
      expect(ticks.every((t) => t >= to - span && t <= to)).toBe(true);
    }
  });
});
