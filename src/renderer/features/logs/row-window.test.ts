import { describe, expect, it } from 'vitest';
import { rowWindow } from './row-window.js';

describe('row window', () => {
  it('draws the rows in view and a few either side', () => {
    // 600 px of 20 px rows scrolled to row 50: rows 50–79 show, 5 more either side are drawn.
    expect(rowWindow(100_000, 20, 600, 1_000, 5)).toEqual({ first: 45, last: 85 });
  });

  it('draws the newest rows when the view is at the bottom, however many rows there are', () => {
    const count = 100_000;
    expect(rowWindow(count, 20, 600, count * 20, 5)).toEqual({ first: count - 30 - 5, last: count });
  });

  it('keeps the window inside the list at the top, for short lists, and for none', () => {
    expect(rowWindow(1_000, 20, 600, -50, 5)).toEqual({ first: 0, last: 35 });
    expect(rowWindow(3, 20, 600, 0, 5)).toEqual({ first: 0, last: 3 });
    expect(rowWindow(0, 20, 600, 0, 5)).toEqual({ first: 0, last: 0 });
  });

  it('draws a partly shown row at the bottom edge', () => {
    // Scrolled to 10 px: rows 0–30 are (partly) in view.
    expect(rowWindow(1_000, 20, 600, 10, 0)).toEqual({ first: 0, last: 31 });
  });
});
