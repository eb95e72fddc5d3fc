// One shell in the dock: xterm.js on a `terminal.session` channel. Output is acknowledged once xterm
// has parsed it, so a flood is paused at the source instead of queueing here; the tab keeps its
// scrollback after the shell exits, with an end line that gives the exit code.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { TERMINAL_FLOW } from '../../../shared/contract/terminal.js';
import type { TypedChannel } from '../../api/client.js';
import { useClient } from '../../api/context.js';
import { AppError } from '../../../shared/errors.js';
import { EnableExecFix } from './enable-exec-fix.js';
import { terminalDock, type TerminalTab } from './terminal-store.js';
import { WritePump } from './write-pump.js';

const theme: ITheme = {
  background: '#11131a',
  foreground: '#e6e8ee',
  cursor: '#a5b4fc',
  selectionBackground: '#3b4270',
  black: '#1d212c',
  brightBlack: '#6f7687',
};

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

interface TerminalViewProps {
  readonly tab: TerminalTab;
  readonly active: boolean;
  /** Ctrl+Shift+E: give the keyboard back to the tab list. */
  readonly onLeave: () => void;
}

export function TerminalView({ tab, active, onLeave }: TerminalViewProps) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | undefined>(undefined);
  const fitRef = useRef<FitAddon | undefined>(undefined);
  const searchRef = useRef<SearchAddon | undefined>(undefined);
  const leave = useRef(onLeave);
  useEffect(() => {
    leave.current = onLeave;
  }, [onLeave]);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const { id, pipeline, environment, instance } = tab;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono') || 'monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5_000,
      theme,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    // Links open in the system browser (the window's open handler) or a new browser tab, never in place.
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    term.open(element);
    terminal.current = term;
    fitRef.current = fit;
    searchRef.current = search;

    const safeFit = (): void => {
      // A hidden tab has no size; it is fitted when it is shown.
      if (element.offsetWidth > 0 && element.offsetHeight > 0) fit.fit();
    };
    safeFit();

    let channel: TypedChannel<'terminal.session'> | undefined;
    let disposed = false;
    let ended = false;
    let unacknowledged = 0;
    // Acknowledged once xterm has parsed it, so a flood is paused at the source.
    const pump = new WritePump(
      (data, parsed) => term.write(data, parsed),
      (chars) => {
        unacknowledged += chars;
        if (unacknowledged >= TERMINAL_FLOW.ACK_SIZE_CHARS) {
          channel?.send({ type: 'ack', chars: unacknowledged });
          unacknowledged = 0;
        }
      },
    );

    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC') {
        const selection = term.getSelection();
        if (selection) void navigator.clipboard?.writeText(selection);
        return false;
      }
      if (event.code === 'KeyV') {
        void navigator.clipboard
          ?.readText()
          .then((text) => term.paste(text))
          .catch(() => undefined);
        return false;
      }
      if (event.code === 'KeyF') {
        setSearching(true);
        return false;
      }
      if (event.code === 'KeyE') {
        leave.current();
        return false;
      }
      return true;
    });

    const fail = (error: unknown): void => {
      if (disposed || ended) return;
      ended = true;
      const message = error instanceof Error ? error.message : String(error);
      const fix = error instanceof AppError && typeof error.details?.fix === 'string' ? error.details.fix : undefined;
      // After the output still queued for xterm.
      pump.push(`\r\n${RED}${message}${RESET}\r\n`);
      term.options.disableStdin = true;
      terminalDock.update(id, { state: 'failed', error: message, ...(fix ? { fix } : {}) });
    };

    void (async () => {
      try {
        const { ticket } = await client.call('terminal.ticket', {
          pipeline,
          environment,
          ...(instance ? { instance } : {}),
          cols: term.cols,
          rows: term.rows,
        });
        if (disposed) return;
        channel = client.open(
          'terminal.session',
          { ticket },
          (event) => {
            if (event.type === 'ready') {
              terminalDock.update(id, { state: 'open', runningIn: event.instance });
            } else if (event.type === 'output') {
              pump.push(event.data);
            } else {
              ended = true;
              const signal = event.signal ? `, signal ${event.signal}` : '';
              pump.push(`\r\n${DIM}── exited with code ${event.exitCode}${signal} ──${RESET}\r\n`);
              term.options.disableStdin = true;
              term.options.cursorBlink = false;
              terminalDock.update(id, { state: 'exited', exitCode: event.exitCode });
            }
          },
          (error) => {
            if (error) fail(error);
          },
        );
      } catch (error) {
        fail(error);
      }
    })();

    const input = term.onData((data) => {
      if (!ended) channel?.send({ type: 'input', data });
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (!ended) channel?.send({ type: 'resize', cols, rows });
    });
    // The dock's height, the window's width, a tab shown again: the terminal follows its box.
    const observer = new ResizeObserver(() => safeFit());
    observer.observe(element);

    return () => {
      disposed = true;
      observer.disconnect();
      input.dispose();
      resize.dispose();
      channel?.close();
      pump.dispose();
      term.dispose();
      terminal.current = undefined;
    };
  }, [client, id, pipeline, environment, instance]);

  useEffect(() => {
    if (!active) return;
    const element = host.current;
    if (element && element.offsetWidth > 0) fitRef.current?.fit();
    terminal.current?.focus();
  }, [active]);

  const find = (backwards: boolean): void => {
    if (!query) return;
    if (backwards) searchRef.current?.findPrevious(query);
    else searchRef.current?.findNext(query);
  };

  return (
    <div className="terminal-view">
      {tab.fix === 'enable-exec' ? <EnableExecFix pipeline={pipeline} environment={environment} /> : null}
      {searching ? (
        <div className="terminal-search" role="search">
          <input
            autoFocus
            aria-label="Find in the terminal"
            placeholder="Find"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                find(event.shiftKey);
              } else if (event.key === 'Escape') {
                event.preventDefault();
                setSearching(false);
                searchRef.current?.clearDecorations();
                terminal.current?.focus();
              }
            }}
          />
          <span className="faint small">Enter next · Shift+Enter previous · Esc close</span>
        </div>
      ) : null}
      <div
        className="terminal-host"
        ref={host}
        data-testid="terminal"
        aria-label={`Shell in ${environment}`}
        data-state={tab.state}
      />
    </div>
  );
}
