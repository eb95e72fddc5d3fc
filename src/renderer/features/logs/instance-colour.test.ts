import { describe, expect, it } from 'vitest';
import { instanceColour } from './log-row.js';

describe('instance colours', () => {
  it('keeps an instance its colour', () => {
    expect(instanceColour('v7.web.3.ab12')).toBe(instanceColour('v7.web.3.ab12'));
  });

  it('spreads the instances of a release over the palette', () => {
    const ids = Array.from({ length: 20 }, (_, n) => `v7.web.${n + 1}.${(0x1000 + n).toString(16)}`);
    expect(new Set(ids.map(instanceColour)).size).toBeGreaterThanOrEqual(6);
  });
});
