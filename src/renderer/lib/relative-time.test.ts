import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from './relative-time.js';

const now = Date.parse('2025-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('formatRelativeTime', () => {
  it('says "just now" for the last few seconds and for small clock skew', () => {
    expect(formatRelativeTime(ago(5), now)).toBe('just now');
    expect(formatRelativeTime(ago(-10), now)).toBe('just now');
  });

  it('picks the largest whole unit', () => {
    expect(formatRelativeTime(ago(90), now)).toBe('2 minutes ago');
    expect(formatRelativeTime(ago(5 * 60), now)).toBe('5 minutes ago');
    expect(formatRelativeTime(ago(3 * 3600), now)).toBe('3 hours ago');
    expect(formatRelativeTime(ago(24 * 3600), now)).toBe('yesterday');
    expect(formatRelativeTime(ago(3 * 24 * 3600), now)).toBe('3 days ago');
    expect(formatRelativeTime(ago(14 * 24 * 3600), now)).toBe('2 weeks ago');
    expect(formatRelativeTime(ago(400 * 24 * 3600), now)).toBe('last year');
  });

  it('handles the future and unreadable dates', () => {
    expect(formatRelativeTime(ago(-2 * 3600), now)).toBe('in 2 hours');
    expect(formatRelativeTime('not a date', now)).toBe('at an unknown time');
  });
});
