// What the pointer is over in a metrics chart: each instance's value at that time, highest first.
// Recharts' own tooltip shows only the series it draws, and the instances' lines are ours
// (instance-lines.tsx), so the chart's pointer state is read here and the list drawn over the plot.
import { createPortal } from 'react-dom';
import { useActiveTooltipCoordinate, useActiveTooltipLabel, useIsTooltipActive, usePlotArea } from 'recharts';
import { instanceColour } from '../logs/log-row.js';
import type { Row } from './instance-lines.js';

const WIDTH = 260;

export function HoverValues(props: {
  rows: readonly Row[];
  keys: readonly string[];
  unit: string;
  /** The element the list is positioned in: it holds the chart at its top left. */
  overlay: HTMLElement | null;
}) {
  const active = useIsTooltipActive();
  const label = useActiveTooltipLabel();
  const at = useActiveTooltipCoordinate();
  const area = usePlotArea();
  if (!active || !at || !area || !props.overlay) return null;
  const row = props.rows.find((r) => r.time === Number(label));
  if (!row) return null;
  const values = props.keys
    .flatMap((key) => (row[key] === undefined ? [] : [{ key, value: row[key] }]))
    .sort((a, b) => b.value - a.value);
  // Beside the pointer, on whichever side has room.
  const left = at.x + 12 + WIDTH <= area.x + area.width ? at.x + 12 : Math.max(area.x, at.x - 12 - WIDTH);
  return createPortal(
    <div className="metrics-tooltip" role="status" style={{ left, top: area.y, width: WIDTH }}>
      <p>{new Date(row.time).toLocaleString()}</p>
      <ul>
        {values.map(({ key, value }) => (
          <li key={key}>
            <span style={{ color: instanceColour(key) }}>●</span> {key}: {value.toFixed(1)}
            {props.unit}
          </li>
        ))}
      </ul>
    </div>,
    props.overlay,
  );
}
