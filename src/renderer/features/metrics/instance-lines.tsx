// The instances' lines of a metrics chart, drawn as one layer of paths from the chart's own scales.
// Recharts' <Line> registers each series in the chart's store and every registration re-runs every
// subscriber's selectors, so 20 instances cost most of the time a day's view took to draw; one layer
// costs a pass over the points. Axes, grid, release marks and the tooltip stay recharts'.
import { useId, useMemo } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale, type ScaleFunction } from 'recharts';
import { instanceColour } from '../logs/log-row.js';

export interface Row {
  time: number;
  [instance: string]: number;
}

/** An SVG path through an instance's points; a missing point joins its neighbours (no gap). */
export function linePath(rows: readonly Row[], key: string, x: ScaleFunction, y: ScaleFunction): string {
  let d = '';
  for (const row of rows) {
    const value = row[key];
    if (value === undefined) continue;
    const px = x(row.time);
    const py = y(value);
    if (px === undefined || py === undefined) continue;
    d += `${d === '' ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
  }
  return d;
}

/**
 * The y axis labels: 0 up to a round number just above the highest value, 3 to 6 of them (recharts
 * knows no data of lines it does not draw, so the scale is given). At least 0–1, so an idle instance
 * still has a scale.
 */
export function yTicks(rows: readonly Row[], keys: readonly string[]): number[] {
  let max = 0;
  for (const row of rows) for (const key of keys) max = Math.max(max, row[key] ?? 0);
  const wanted = Math.max(1, max * 1.05);
  const magnitude = 10 ** Math.floor(Math.log10(wanted / 5));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= wanted / 5) ?? 10) * magnitude;
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < wanted) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export function InstanceLines({ rows, keys }: { rows: readonly Row[]; keys: readonly string[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const clip = useId();
  // A week of 20 instances is 40k points: build the paths only when the data or the scales change.
  const paths = useMemo(
    () => (x && y ? keys.map((key) => ({ key, d: linePath(rows, key, x, y) })) : []),
    [rows, keys, x, y],
  );
  if (!x || !y || !area) return null;
  return (
    <g className="metrics-lines">
      {/* The x domain is the range asked for; a point just outside it must not draw over the axis. */}
      <clipPath id={clip}>
        <rect x={area.x} y={area.y} width={area.width} height={area.height} />
      </clipPath>
      <g clipPath={`url(#${clip})`}>
        {paths.map(({ key, d }) => (
          <path
            key={key}
            className="metrics-line"
            data-instance={key}
            d={d}
            fill="none"
            stroke={instanceColour(key)}
            strokeWidth={1.5}
          />
        ))}
      </g>
    </g>
  );
}
