// Light or dark: follows the system until the person picks one; the pick is remembered. The theme in
// effect always stands on <html data-theme>, so the stylesheet holds each palette once.
import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'slipway.theme';

const readStored = (): Theme | undefined => {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
};

// One list for the page's lifetime: a listener on a list nobody holds may be collected with it.
let systemDark: MediaQueryList | undefined;
const media = (): MediaQueryList => (systemDark ??= window.matchMedia('(prefers-color-scheme: dark)'));
const systemTheme = (): Theme => (media().matches ? 'dark' : 'light');
/** The person's pick; undefined follows the system. Kept here too, for when storage is unavailable. */
let picked: Theme | undefined;
const current = (): Theme => picked ?? systemTheme();
const listeners = new Set<() => void>();

function apply(): void {
  document.documentElement.dataset.theme = current();
  for (const l of listeners) l();
}

/**
 * Sets the theme before React renders, so the first paint has the right colours, and follows the system
 * while the person has not picked one. The listener lives as long as the page.
 */
export function startTheme(): void {
  picked = readStored();
  apply();
  media().addEventListener('change', apply);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const theme = useSyncExternalStore(subscribe, current);
  const toggle = useCallback(() => {
    const next: Theme = current() === 'dark' ? 'light' : 'dark';
    // Picking what the system already prefers means "follow the system" again.
    picked = next === systemTheme() ? undefined : next;
    try {
      if (picked) window.localStorage.setItem(STORAGE_KEY, picked);
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Without storage the choice lasts for this page only.
    }
    apply();
  }, []);
  return { theme, toggle };
}
