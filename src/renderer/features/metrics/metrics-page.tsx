// CPU and memory per instance over 1h / 6h / 24h / 7d, with each release as a mark on the time axis so
// a bad deploy shows as a step; and the environment's alarms.
import { useMemo, useState } from 'react';
import { CartesianGrid, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { METRIC_RANGES, type MetricRange, type MetricsResult } from '../../../shared/contract/index.js';
import type { MetricSeries } from '../../../shared/model.js';
import { useProcedure } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { instanceColour } from '../logs/log-row.js';
import { AlarmsPanel } from './alarms-panel.js';
import { DetailedOffer } from './detailed-offer.js';
import { HoverValues } from './hover-values.js';
import { InstanceLines, yTicks, type Row } from './instance-lines.js';
import '../logs/logs.css';

interface MetricsPageProps {
  readonly pipeline: string;
  readonly environment: string;
}

export function MetricsPage({ pipeline, environment }: MetricsPageProps) {
  const [range, setRange] = useState<MetricRange>('1h');
  const metrics = useProcedure('metrics.get', { pipeline, environment, range }, { refetchInterval: 5_000 });
  return (
    <div className="page metrics-page" data-testid="metrics-page">
      <PageHeader
        title={`${environment} metrics`}
        actions={
          <div className="page-actions">
            <button type="button" className="btn" onClick={() => navigate({ page: 'pipeline', pipeline })}>
              Back to {pipeline}
            </button>
            <button type="button" className="btn" onClick={() => navigate({ page: 'logs', pipeline, environment })}>
              Logs
            </button>
          </div>
        }
      >
        CPU and memory of each instance of {pipeline}/{environment}; dashed lines mark releases.
      </PageHeader>
      <div className="segmented" role="group" aria-label="Time range" style={{ marginBottom: 8 }}>
        {METRIC_RANGES.map((value) => (
          <button
            key={value}
            type="button"
            className="btn btn-sm"
            aria-pressed={range === value}
            onClick={() => setRange(value)}
          >
            {value}
          </button>
        ))}
      </div>
      <QueryCard query={metrics} loading={{ lines: 6, label: 'Loading metrics' }} errorTitle="Could not load metrics">
        {(result) => <Charts pipeline={pipeline} environment={environment} result={result} />}
      </QueryCard>
      <AlarmsPanel pipeline={pipeline} environment={environment} />
    </div>
  );
}

/** One row per time, one column per instance: the shape recharts draws one line per column from. */
export function chartRows(series: readonly MetricSeries[], metric: 'cpu' | 'memory'): { rows: Row[]; keys: string[] } {
  const byTime = new Map<string, Row>();
  const keys: string[] = [];
  for (const s of series) {
    if (s.metric !== metric || s.instance === undefined) continue;
    keys.push(s.instance);
    for (const point of s.points) {
      // Instances share their sample times: parse each time once.
      let row = byTime.get(point.time);
      if (row === undefined) byTime.set(point.time, (row = { time: Date.parse(point.time) }));
      row[s.instance] = metric === 'memory' ? point.value / 1024 / 1024 : point.value;
    }
  }
  return { rows: [...byTime.values()].sort((a, b) => a.time - b.time), keys };
}

const HOUR_MS = 3_600_000;
/** Steps between time-axis labels that give 6–12 labels over each range. */
const TICK_STEPS = [10 * 60_000, 30 * 60_000, HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS];

/**
 * Labels for the time axis at round times. Given to the chart, they spare it measuring every candidate
 * label's width in the DOM to choose which to show, the costliest part of drawing a day of 20 lines.
 */
export function timeTicks([from, to]: readonly [number, number]): number[] {
  const step = TICK_STEPS.find((s) => (to - from) / s <= 12) ?? 24 * HOUR_MS;
  // Round in local time, so labels read 09:00, 12:00 and not 09:17.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let at = Math.ceil((from - offset) / step) * step + offset; at <= to; at += step) ticks.push(at);
  return ticks;
}

const tick = (ms: number): string => {
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
};

function Charts({ pipeline, environment, result }: { pipeline: string; environment: string; result: MetricsResult }) {
  const cpu = useMemo(() => chartRows(result.series, 'cpu'), [result]);
  const memory = useMemo(() => chartRows(result.series, 'memory'), [result]);
  const domain = useMemo((): [number, number] => [Date.parse(result.since), Date.parse(result.until)], [result]);
  const ticks = useMemo(() => timeTicks(domain), [domain]);
  return (
    <div className="metrics-charts">
      {result.notes.map((note) => (
        <p key={note} className="alert alert-info">
          {note}
        </p>
      ))}
      {result.detailedOffer ? (
        <DetailedOffer pipeline={pipeline} environment={environment} offer={result.detailedOffer} />
      ) : null}
      {cpu.keys.length === 0 ? <p>No samples in this range yet.</p> : null}
      <Chart
        title="CPU (% of one core)"
        unit="%"
        data={cpu}
        domain={domain}
        ticks={ticks}
        result={result}
        testId="cpu-chart"
      />
      <Chart
        title="Memory (MB)"
        unit=" MB"
        data={memory}
        domain={domain}
        ticks={ticks}
        result={result}
        testId="memory-chart"
      />
    </div>
  );
}

function Chart({
  title,
  unit,
  data,
  domain,
  ticks,
  result,
  testId,
}: {
  title: string;
  unit: string;
  data: { rows: Row[]; keys: string[] };
  domain: [number, number];
  ticks: number[];
  result: MetricsResult;
  testId: string;
}) {
  const yAxis = useMemo(() => yTicks(data.rows, data.keys), [data]);
  const top = yAxis.at(-1) ?? 1;
  const [overlay, setOverlay] = useState<HTMLDivElement | null>(null);
  const latest = (key: string): number | undefined => {
    for (let i = data.rows.length - 1; i >= 0; i--) {
      const value = data.rows[i]?.[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return (
    <figure className="metrics-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="metrics-plot" ref={setOverlay}>
        <LineChart
          responsive
          style={{ width: '100%', height: 220 }}
          data={data.rows}
          margin={{ top: 18, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e1e4ea" vertical={false} />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={domain}
            ticks={ticks}
            interval={0}
            tickFormatter={tick}
            allowDataOverflow
          />
          <YAxis
            type="number"
            domain={[0, top]}
            ticks={yAxis}
            allowDataOverflow
            width={64}
            interval={0}
            tickFormatter={(v: number) => `${Number(v.toFixed(top < 10 ? 2 : 0))}${unit}`}
          />
          {/* The pointer's state and cursor; the values beside it are HoverValues'. */}
          <Tooltip content={() => null} />
          {result.releases.map((release) => (
            <ReferenceLine
              key={release.version}
              x={Date.parse(release.time)}
              stroke="#4f46e5"
              strokeDasharray="4 3"
              label={{ value: `v${release.version}`, position: 'top', fontSize: 11 }}
            />
          ))}
          <InstanceLines rows={data.rows} keys={data.keys} />
          <HoverValues rows={data.rows} keys={data.keys} unit={unit} overlay={overlay} />
        </LineChart>
      </div>
      {/* The same numbers as text, for screen readers and for tests that read what a person sees. */}
      <ul className="metrics-latest" aria-label={`${title} now`}>
        {data.keys.map((key) => (
          <li key={key} data-testid="metric-latest" data-instance={key} data-value={latest(key)}>
            <span style={{ color: instanceColour(key) }}>●</span> {key}: {latest(key)?.toFixed(1) ?? '—'}
            {unit}
          </li>
        ))}
      </ul>
    </figure>
  );
}
