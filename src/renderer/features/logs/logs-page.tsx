// An environment's logs: followed live (pause, resume, jump to live; live-logs.tsx) or searched over a
// time range. Only the rows on screen are drawn.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogPage } from '../../../shared/contract/index.js';
import type { LogLine } from '../../../shared/model.js';
import { useClient } from '../../api/context.js';
import { usePipelineStatus } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { PageHeader } from '../../components/page-header.js';
import { LiveLogs, ROW_PX, shortInstance, type LogQuery } from './live-logs.js';
import { LogRowView } from './log-row.js';
import './logs.css';

interface LogsPageProps {
  readonly pipeline: string;
  readonly environment: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function LogsPage({ pipeline, environment }: LogsPageProps) {
  const [mode, setMode] = useState<'live' | 'search'>('live');
  const [filter, setFilter] = useState('');
  const [instance, setInstance] = useState('');
  const status = usePipelineStatus(pipeline);
  const instances = status.data?.environments.find((env) => env.environment === environment)?.instances ?? [];
  const settledFilter = useDebounced(filter.trim(), 300);
  const query = useMemo(
    () => ({
      pipeline,
      environment,
      ...(settledFilter ? { filter: settledFilter } : {}),
      ...(instance ? { instance } : {}),
    }),
    [pipeline, environment, settledFilter, instance],
  );
  const filterRef = useRef<HTMLInputElement>(null);

  return (
    <div className="page logs-page" data-testid="logs-page">
      <PageHeader
        title={`${environment} logs`}
        actions={
          <div className="page-actions">
            <button type="button" className="btn" onClick={() => navigate({ page: 'pipeline', pipeline })}>
              Back to {pipeline}
            </button>
            <button type="button" className="btn" onClick={() => navigate({ page: 'metrics', pipeline, environment })}>
              Metrics
            </button>
          </div>
        }
      >
        What the instances of {pipeline}/{environment} write. Keys: <kbd>/</kbd> filter, <kbd>Space</kbd> pause or
        resume, <kbd>End</kbd> jump to live.
      </PageHeader>
      <div className="logs-toolbar" role="toolbar" aria-label="Log options">
        <div className="segmented" role="group" aria-label="Mode">
          <button type="button" className="btn btn-sm" aria-pressed={mode === 'live'} onClick={() => setMode('live')}>
            Live
          </button>
          <button
            type="button"
            className="btn btn-sm"
            aria-pressed={mode === 'search'}
            onClick={() => setMode('search')}
          >
            Search
          </button>
        </div>
        <input
          ref={filterRef}
          className="input logs-filter"
          type="search"
          placeholder="Filter lines"
          aria-label="Filter lines"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <select className="input" aria-label="Instance" value={instance} onChange={(e) => setInstance(e.target.value)}>
          <option value="">All instances</option>
          {instances.map((i) => (
            <option key={i.id} value={i.id}>
              {i.id}
            </option>
          ))}
        </select>
      </div>
      {mode === 'live' ? (
        <LiveLogs key={JSON.stringify(query)} query={query} focusFilter={() => filterRef.current?.focus()} />
      ) : (
        <SearchLogs
          query={{
            pipeline,
            environment,
            ...(filter.trim() ? { filter: filter.trim() } : {}),
            ...(instance ? { instance } : {}),
          }}
        />
      )}
    </div>
  );
}

const localInput = (ms: number): string => {
  const at = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return at.toISOString().slice(0, 16);
};

function SearchLogs({ query }: { query: LogQuery }) {
  const client = useClient();
  const [since, setSince] = useState(() => localInput(Date.now() - 3_600_000));
  const [until, setUntil] = useState(() => localInput(Date.now() + 60_000));
  const [lines, setLines] = useState<LogLine[]>([]);
  const [nextToken, setNextToken] = useState<string | undefined>();
  const [state, setState] = useState<'idle' | 'loading' | 'done'>('idle');
  const [error, setError] = useState<string | undefined>();
  const scrollRef = useRef<HTMLDivElement>(null);

  const search = async (token?: string): Promise<void> => {
    setState('loading');
    setError(undefined);
    try {
      const page: LogPage = await client.call('logs.search', {
        ...query,
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        limit: 500,
        ...(token ? { nextToken: token } : {}),
      });
      setLines((before) => (token ? [...before, ...page.lines] : page.lines));
      setNextToken(page.nextToken);
      setState('done');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setState('idle');
    }
  };

  // Nothing below memoises the virtualizer's answers: each render reads them afresh.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });

  return (
    <section className="logs-view" aria-label="Log search">
      <form
        className="logs-search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          From{' '}
          <input className="input" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          To <input className="input" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary btn-sm" disabled={state === 'loading'}>
          {state === 'loading' ? 'Searching…' : 'Find lines'}
        </button>
        <span className="logs-count">
          {state === 'done' ? `${lines.length.toLocaleString()} lines, newest first` : ''}
        </span>
      </form>
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div ref={scrollRef} className="logs-scroll" tabIndex={0} role="log" aria-label="Search results">
        {state === 'done' && lines.length === 0 ? <p className="logs-empty">No lines in that range.</p> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = lines[item.index];
            return row ? (
              <div
                key={item.key}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                <LogRowView row={row} short={shortInstance} />
              </div>
            ) : null;
          })}
        </div>
      </div>
      {nextToken ? (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void search(nextToken)}
          disabled={state === 'loading'}
        >
          Load older lines
        </button>
      ) : null}
    </section>
  );
}
