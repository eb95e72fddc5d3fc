// The live tail of an environment's logs. Lines go into a ring buffer of 100,000 outside React state and
// the view is redrawn in an animation frame at most every REDRAW_MS, whatever the line rate. Rows are one height, so
// only the rows in view are drawn and which ones is arithmetic on the scroll offset (row-window.ts): no
// per-row measuring, and a scroll made to follow the tail causes no second render.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { LogTailEvent } from '../../../shared/contract/index.js';
import type { LogLine } from '../../../shared/model.js';
import { useClient } from '../../api/context.js';
import { LogRowView, type LogRow, type ShownLine } from './log-row.js';
import { RingBuffer } from './ring-buffer.js';
import { rowWindow } from './row-window.js';

export const LOG_BUFFER_LINES = 100_000;
export const ROW_PX = 20;
/** Rows drawn beyond each edge of the view, so a quick scroll shows no blank rows. */
const OVERSCAN = 8;
/**
 * Least time between two redraws for new lines. A redraw lays out and paints the whole view however
 * few lines came; at thousands of lines a second nobody reads 60 of them a second, and the time is
 * better spent taking lines in. A line still shows within this much of arriving.
 */
const REDRAW_MS = 50;

export interface LogQuery {
  readonly pipeline: string;
  readonly environment: string;
  readonly filter?: string;
  readonly instance?: string;
}

/** `v3.web.1.ab12` → `web.1.ab12`: the release shows in the line's colour and title already. */
export const shortInstance = (id: string): string => id.replace(/^v\d+\./, '');

const markerFor = (event: Extract<LogTailEvent, { type: 'skipped' }>): LogRow => ({
  marker: `… ${event.count.toLocaleString()} lines skipped (${event.reason === 'behind' ? 'the window fell behind' : 'the source dropped them'})`,
});

export function LiveLogs({ query, focusFilter }: { query: LogQuery; focusFilter: () => void }) {
  const client = useClient();
  const ring = useMemo(() => new RingBuffer<LogRow>(LOG_BUFFER_LINES), []);
  const held = useMemo(() => new RingBuffer<LogRow>(LOG_BUFFER_LINES), []);
  const [, setVersion] = useState(0);
  const [paused, setPaused] = useState(false);
  // Following: the newest line is in view and stays there as lines come.
  const [following, setFollowing] = useState(true);
  // Scrolled back: the line at the top of the view, counted from the first line ever received, so the
  // same lines stay in view while older ones fall out of the ring.
  const [topLine, setTopLine] = useState(0);
  const [viewportPx, setViewportPx] = useState(600);
  const [error, setError] = useState<string | undefined>();
  const pausedRef = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const scrollTop = useRef(0);
  /** The scroll offset last set to follow the tail. */
  const followedTo = useRef(-1);
  const droppedAtLayout = useRef(0);

  useEffect(() => {
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let drawnAt = -Infinity;
    const draw = (): void => {
      frame = 0;
      drawnAt = performance.now();
      // Drawn within this frame, so the rows are laid out and painted once.
      flushSync(() => setVersion((v) => v + 1));
    };
    const redraw = (): void => {
      if (frame !== 0 || timer !== undefined) return;
      const wait = drawnAt + REDRAW_MS - performance.now();
      if (wait <= 0) frame = requestAnimationFrame(draw);
      else
        timer = setTimeout(() => {
          timer = undefined;
          frame = requestAnimationFrame(draw);
        }, wait);
    };
    const take = (rows: readonly LogRow[]): void => {
      (pausedRef.current ? held : ring).push(rows);
      redraw();
    };
    // Only what a row shows is kept, and one string per instance: a full ring then holds about a third
    // less, which the garbage collector walks less often and for less long.
    const instances = new Map<string, string>();
    const shown = (line: LogLine): ShownLine => {
      let instance = instances.get(line.instance);
      if (instance === undefined) {
        instance = line.instance;
        if (instances.size < 1_000) instances.set(instance, instance);
      }
      return line.stream === undefined
        ? { time: line.time, instance, text: line.text }
        : { time: line.time, instance, stream: line.stream, text: line.text };
    };
    const unsubscribe = client.subscribe(
      'logs.tail',
      query,
      (event) => {
        switch (event.type) {
          case 'lines':
            take(event.lines.map(shown));
            return;
          case 'skipped':
            take([markerFor(event)]);
            return;
          case 'notice':
            take([{ marker: event.message }]);
            return;
          case 'error':
            setError(event.message);
            return;
        }
      },
      (end) => {
        if (end) setError(end.message);
      },
    );
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      unsubscribe();
    };
  }, [client, query, ring, held]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    setViewportPx(element.clientHeight);
    const observer = new ResizeObserver(() => setViewportPx(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const count = ring.length;
  const totalPx = count * ROW_PX;
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const shifted = ring.dropped - droppedAtLayout.current;
    droppedAtLayout.current = ring.dropped;
    if (following) {
      // Once the ring is full its height stays the same and the view is already at the bottom.
      const bottom = Math.max(0, totalPx - viewportPx);
      if (followedTo.current === bottom) return;
      followedTo.current = bottom;
      element.scrollTop = bottom;
    } else if (shifted > 0) {
      // The lines in view moved up the ring: move the view with them.
      scrollTop.current = Math.max(0, scrollTop.current - shifted * ROW_PX);
      element.scrollTop = scrollTop.current;
    }
  });

  const { first, last } = rowWindow(
    count,
    ROW_PX,
    viewportPx,
    following ? totalPx : (topLine - ring.dropped) * ROW_PX,
    OVERSCAN,
  );

  const resume = useCallback((): void => {
    pausedRef.current = false;
    setPaused(false);
    ring.push(Array.from({ length: held.length }, (_, i) => held.at(i) as LogRow));
    held.clear();
    followedTo.current = -1;
    setVersion((v) => v + 1);
  }, [ring, held]);
  const pause = (): void => {
    pausedRef.current = true;
    setPaused(true);
  };
  const jumpToLive = (): void => {
    resume();
    setFollowing(true);
  };

  const onScroll = (): void => {
    const element = scrollRef.current;
    if (!element) return;
    scrollTop.current = element.scrollTop;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < ROW_PX * 2;
    if (atBottom) {
      // Also what a scroll made to follow the tail looks like: nothing changes.
      if (!following) {
        followedTo.current = -1;
        setFollowing(true);
      }
      return;
    }
    setFollowing(false);
    setTopLine(ring.dropped + Math.floor(element.scrollTop / ROW_PX));
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    if (event.key === ' ') {
      event.preventDefault();
      if (paused) resume();
      else pause();
    } else if (event.key === 'End') {
      event.preventDefault();
      jumpToLive();
    } else if (event.key === '/') {
      event.preventDefault();
      focusFilter();
    }
  };

  const rows = [];
  for (let index = first; index < last; index++) {
    const row = ring.at(index);
    if (row) rows.push(<LogRowView key={index} row={row} short={shortInstance} />);
  }

  return (
    <section className="logs-view" aria-label="Live log lines">
      <div className="logs-status">
        <span className={paused ? 'logs-state logs-paused' : 'logs-state logs-live'} role="status">
          {paused ? `Paused — ${held.total.toLocaleString()} new lines waiting` : following ? 'Live' : 'Scrolled back'}
        </span>
        {paused ? (
          <button type="button" className="btn btn-sm" onClick={resume}>
            Resume
          </button>
        ) : (
          <button type="button" className="btn btn-sm" onClick={pause}>
            Pause
          </button>
        )}
        {paused || !following ? (
          <button type="button" className="btn btn-sm btn-primary" onClick={jumpToLive}>
            Jump to live
          </button>
        ) : null}
        <span className="logs-count">
          {count.toLocaleString()} lines
          {ring.dropped > 0 ? ` (oldest ${ring.dropped.toLocaleString()} let go)` : ''}
        </span>
      </div>
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div
        ref={scrollRef}
        className="logs-scroll"
        tabIndex={0}
        role="log"
        aria-label="Log lines"
        aria-live="off"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        data-testid="logs-scroll"
      >
        {count === 0 ? (
          <p className="logs-empty">Waiting for new lines… open the app&apos;s URL to make some.</p>
        ) : null}
        <div className="logs-rows" style={{ height: totalPx }}>
          <div className="logs-window" style={{ transform: `translateY(${first * ROW_PX}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </section>
  );
}
