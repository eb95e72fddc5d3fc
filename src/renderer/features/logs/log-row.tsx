// One log line: time, instance (in its own colour), and the text with its ANSI colours.
import Anser from 'anser';
import { memo } from 'react';
import type { LogLine } from '../../../shared/model.js';

/** A gap in the stream, shown where it happened. */
export interface LogMarker {
  readonly marker: string;
}
/** What a row shows of a line; the live view keeps only this for each of its 100,000 lines. */
export type ShownLine = Pick<LogLine, 'time' | 'instance' | 'stream' | 'text'>;
export type LogRow = ShownLine | LogMarker;

export const isMarker = (row: LogRow): row is LogMarker => 'marker' in row;

const PALETTE = ['#60a5fa', '#f472b6', '#34d399', '#fbbf24', '#a78bfa', '#f87171', '#22d3ee', '#a3e635'];

/**
 * The same instance always gets the same colour. FNV-1a with its high bits folded in: ids differ in
 * their middle (`v7.web.3.ab12`), and a plain ×31 hash taken modulo 8 gave such ids two colours.
 */
export function instanceColour(instance: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < instance.length; i++) hash = Math.imul(hash ^ instance.charCodeAt(i), 0x01000193);
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#60a5fa';
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
export function clock(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

function AnsiText({ text }: { text: string }) {
  // Most lines have no escapes: skip the parser for them.
  if (!text.includes('\u001b')) return <>{text}</>;
  const parts = Anser.ansiToJson(text, { remove_empty: true, json: true });
  return (
    <>
      {parts.map((part, index) => (
        <span
          key={index}
          style={{
            ...(part.fg ? { color: `rgb(${part.fg})` } : {}),
            ...(part.bg ? { backgroundColor: `rgb(${part.bg})` } : {}),
            ...(part.decorations.includes('bold') ? { fontWeight: 600 } : {}),
          }}
        >
          {part.content}
        </span>
      ))}
    </>
  );
}

export const LogRowView = memo(function LogRowView({ row, short }: { row: LogRow; short: (id: string) => string }) {
  if (isMarker(row)) {
    return (
      <div className="log-row log-marker" data-testid="log-marker">
        {row.marker}
      </div>
    );
  }
  return (
    <div className="log-row" data-testid="log-row" data-instance={row.instance}>
      <time className="log-time" dateTime={row.time}>
        {clock(row.time)}
      </time>
      <span className="log-instance" style={{ color: instanceColour(row.instance) }} title={row.instance}>
        {short(row.instance)}
      </span>
      <span className={row.stream === 'stderr' ? 'log-text log-stderr' : 'log-text'}>
        <AnsiText text={row.text} />
      </span>
    </div>
  );
});
