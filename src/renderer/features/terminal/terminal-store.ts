// The terminal dock's tabs, outside React so any page can open a shell and the sessions outlive the
// page that opened them. Each tab's session lives as long as its view is mounted.
import { useSyncExternalStore } from 'react';

export type TerminalTabState = 'connecting' | 'open' | 'exited' | 'failed';

export interface TerminalTab {
  readonly id: number;
  readonly pipeline: string;
  readonly environment: string;
  /** Asked for; absent when the provider picks a healthy instance. */
  readonly instance?: string;
  /** The instance it runs in, once known. */
  readonly runningIn?: string;
  readonly state: TerminalTabState;
  readonly exitCode?: number;
  readonly error?: string;
  /** A fix the server named for the error (`enable-exec`). */
  readonly fix?: string;
}

export interface TerminalDockState {
  readonly tabs: readonly TerminalTab[];
  readonly active: number | undefined;
}

let state: TerminalDockState = { tabs: [], active: undefined };
let nextId = 1;
const listeners = new Set<() => void>();

const set = (next: TerminalDockState): void => {
  state = next;
  for (const listener of [...listeners]) listener();
};

export const terminalDock = {
  get: (): TerminalDockState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  open(target: { pipeline: string; environment: string; instance?: string }): number {
    const id = nextId++;
    set({ tabs: [...state.tabs, { id, ...target, state: 'connecting' }], active: id });
    return id;
  },
  activate(id: number): void {
    if (state.tabs.some((tab) => tab.id === id)) set({ ...state, active: id });
  },
  update(id: number, change: Partial<Omit<TerminalTab, 'id'>>): void {
    set({ ...state, tabs: state.tabs.map((tab) => (tab.id === id ? { ...tab, ...change } : tab)) });
  },
  /** Closing a tab unmounts its view, which ends the session and everything it started. */
  close(id: number): void {
    const index = state.tabs.findIndex((tab) => tab.id === id);
    if (index < 0) return;
    const tabs = state.tabs.filter((tab) => tab.id !== id);
    const active = state.active === id ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? undefined) : state.active;
    set({ tabs, active });
  },
};

export const useTerminalDock = (): TerminalDockState => useSyncExternalStore(terminalDock.subscribe, terminalDock.get);

export const tabTitle = (tab: TerminalTab): string =>
  `${tab.environment} · ${shortInstance(tab.runningIn ?? tab.instance ?? 'any instance')}`;

/** ECS task ids and local instance ids are long; the tail tells them apart. */
export const shortInstance = (id: string): string => {
  const last = id.split('/').at(-1) ?? id;
  return last.length > 18 ? `…${last.slice(-12)}` : last;
};
