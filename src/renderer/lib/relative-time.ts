// "3 minutes ago", from two instants; the caller passes `now` so the result is a pure function.
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function formatRelativeTime(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'at an unknown time';
  const seconds = Math.round((at - now) / 1000);
  // Small clock differences between machines should not read as "in 3 seconds".
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      // Round half away from zero, so 90 s ago reads as 2 minutes either side of now.
      return format.format(Math.sign(seconds) * Math.round(Math.abs(seconds) / size), unit);
    }
  }
  return 'just now';
}

export function formatAbsoluteTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Date(at).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}
