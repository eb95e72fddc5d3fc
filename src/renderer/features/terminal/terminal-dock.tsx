// The terminal dock: tabs of shells along the bottom of the window, resizable, keyboard-friendly.
// The terminal itself (xterm.js and its add-ons) loads only when the first tab opens.
import { lazy, Suspense, useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { XIcon } from '../../components/icons.js';
import { SkeletonLines } from '../../components/states.js';
import { tabTitle, terminalDock, useTerminalDock, type TerminalTab } from './terminal-store.js';
import './terminal.css';

const TerminalView = lazy(() => import('./terminal-view.js').then((m) => ({ default: m.TerminalView })));

const MIN_HEIGHT = 140;
const DEFAULT_HEIGHT = 320;

const stateLabel = (tab: TerminalTab): string =>
  tab.state === 'connecting'
    ? 'connecting'
    : tab.state === 'open'
      ? 'running'
      : tab.state === 'exited'
        ? `exited ${tab.exitCode ?? ''}`.trim()
        : 'failed';

export function TerminalDock() {
  const { tabs, active } = useTerminalDock();
  const [height, setHeight] = useState(DEFAULT_HEIGHT);
  const tabRefs = useRef(new Map<number, HTMLButtonElement>());
  const drag = useRef<{ startY: number; startHeight: number } | undefined>(undefined);

  const maxHeight = (): number => Math.max(MIN_HEIGHT, Math.round(window.innerHeight * 0.8));
  const clamp = useCallback((value: number) => Math.min(maxHeight(), Math.max(MIN_HEIGHT, value)), []);

  const focusTab = (id: number | undefined): void => {
    if (id === undefined) return;
    terminalDock.activate(id);
    tabRefs.current.get(id)?.focus();
  };

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const move = (to: number): void => {
      event.preventDefault();
      focusTab(tabs[(to + tabs.length) % tabs.length]?.id);
    };
    if (event.key === 'ArrowRight') move(index + 1);
    else if (event.key === 'ArrowLeft') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(tabs.length - 1);
    else if (event.key === 'Delete') {
      event.preventDefault();
      const tab = tabs[index];
      if (tab) terminalDock.close(tab.id);
      focusTab(tabs[index + 1]?.id ?? tabs[index - 1]?.id);
    }
  };

  if (tabs.length === 0) return null;

  return (
    <section className="terminal-dock" style={{ height }} aria-label="Terminals" data-testid="terminal-dock">
      <div
        className="terminal-dock-handle"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the terminal dock"
        aria-valuemin={MIN_HEIGHT}
        aria-valuemax={maxHeight()}
        aria-valuenow={height}
        tabIndex={0}
        onKeyDown={(event) => {
          if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
            event.preventDefault();
            setHeight((h) => clamp(h + (event.key === 'ArrowUp' ? 40 : -40)));
          }
        }}
        onPointerDown={(event: PointerEvent<HTMLDivElement>) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          drag.current = { startY: event.clientY, startHeight: height };
        }}
        onPointerMove={(event) => {
          if (drag.current) setHeight(clamp(drag.current.startHeight + drag.current.startY - event.clientY));
        }}
        onPointerUp={() => (drag.current = undefined)}
      />
      <div className="terminal-tabs" role="tablist" aria-label="Open terminals">
        {tabs.map((tab, index) => (
          <div key={tab.id} className="terminal-tab" data-active={tab.id === active} data-state={tab.state}>
            <button
              type="button"
              role="tab"
              id={`terminal-tab-${tab.id}`}
              aria-selected={tab.id === active}
              aria-controls={`terminal-panel-${tab.id}`}
              tabIndex={tab.id === active ? 0 : -1}
              ref={(element) => {
                if (element) tabRefs.current.set(tab.id, element);
                else tabRefs.current.delete(tab.id);
              }}
              onClick={() => terminalDock.activate(tab.id)}
              onKeyDown={(event) => onTabKey(event, index)}
              data-testid="terminal-tab"
            >
              <span className={`terminal-tab-dot terminal-tab-dot-${tab.state}`} aria-hidden="true" />
              <span className="terminal-tab-title">{tabTitle(tab)}</span>
              <span className="visually-hidden">, {stateLabel(tab)}</span>
            </button>
            <button
              type="button"
              className="terminal-tab-close"
              aria-label={`Close ${tabTitle(tab)}`}
              title="Close (ends the shell and everything it started)"
              onClick={() => terminalDock.close(tab.id)}
              tabIndex={tab.id === active ? 0 : -1}
              data-testid="terminal-tab-close"
            >
              <XIcon size={12} />
            </button>
          </div>
        ))}
        <span className="terminal-dock-hint faint small">
          Ctrl+Shift+C/V copy/paste · Ctrl+Shift+F find · Ctrl+Shift+E back to the tabs
        </span>
      </div>
      <div className="terminal-panels">
        {tabs.map((tab) => (
          <div
            key={tab.id}
            id={`terminal-panel-${tab.id}`}
            role="tabpanel"
            aria-labelledby={`terminal-tab-${tab.id}`}
            className="terminal-panel"
            hidden={tab.id !== active}
            data-testid="terminal-panel"
            data-tab-state={tab.state}
          >
            <Suspense fallback={<SkeletonLines lines={3} label="Loading the terminal" />}>
              <TerminalView tab={tab} active={tab.id === active} onLeave={() => focusTab(tab.id)} />
            </Suspense>
          </div>
        ))}
      </div>
    </section>
  );
}
