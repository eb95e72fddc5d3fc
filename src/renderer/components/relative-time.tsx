// "5 minutes ago" that stays true: one shared ticker re-renders every visible time twice a minute.
import { useSyncExternalStore } from 'react';
import { formatAbsoluteTime, formatRelativeTime } from '../lib/relative-time.js';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    // After an idle spell with nothing on screen the clock is stale; React re-reads it after subscribing.
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getNow = () => now;

export function RelativeTime({ iso }: { iso: string }) {
  // Up to one tick old: a brand-new time still reads "just now", never "in 20 seconds".
  const reference = useSyncExternalStore(subscribe, getNow);
  return (
    <time dateTime={iso} title={formatAbsoluteTime(iso)}>
      {formatRelativeTime(iso, reference)}
    </time>
  );
}
