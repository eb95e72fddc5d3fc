// Light or dark: follows the system until the person picks one; the pick is remembered.
import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'slipway.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

const readStored = (): Theme | undefined => {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
};

const systemTheme = (): Theme => (media().matches ? 'dark' : 'light');
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** Applies the stored choice before React renders, so the first paint has the right colours. */
export function applyStoredTheme(): void {
  const stored = readStored();
  if (stored) document.documentElement.dataset.theme = stored;
  else delete document.documentElement.dataset.theme;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const mq = media();
  mq.addEventListener('change', listener);
  return () => {
    listeners.delete(listener);
    mq.removeEventListener('change', listener);
  };
}

const current = (): Theme => readStored() ?? systemTheme();

export function useTheme(): { theme: Theme; toggle: () => void } {
  const theme = useSyncExternalStore(subscribe, current);
  const toggle = useCallback(() => {
    const next: Theme = current() === 'dark' ? 'light' : 'dark';
    try {
      // Picking what the system already prefers means "follow the system" again.
      if (next === systemTheme()) window.localStorage.removeItem(STORAGE_KEY);
      else window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Without storage the choice lasts for this page only.
    }
    if (next === systemTheme()) delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    notify();
  }, []);
  return { theme, toggle };
}
