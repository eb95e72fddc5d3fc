// An instance's output on disk: `<logs>/<instance>.log`, then `.log.1` … `.log.N` as it rotates. One
// line per line written, `<ISO time> <stdout|stderr> <text>`, so a person can read it and Slipway can
// tell when and where each line came from.
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Rotate past this size (bytes); SLIPWAY_LOG_MAX_BYTES overrides it (tests). */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
/** Older generations kept next to the live file. */
export const LOG_GENERATIONS = 3;
/** A longer line is cut into pieces of this many characters. */
export const LOG_LINE_MAX = 16 * 1024;

export type LogStreamName = 'stdout' | 'stderr';

export interface ParsedLine {
  readonly time: string;
  readonly stream: LogStreamName;
  readonly text: string;
}

export const liveLogFile = (logs: string, instance: string): string => join(logs, `${instance}.log`);

/** `v3.web.1.ab12.log` → instance and generation (0 for the live file). */
export function logFileName(name: string): { instance: string; generation: number } | undefined {
  const match = /^(.+)\.log(?:\.(\d+))?$/.exec(name);
  if (!match?.[1]) return undefined;
  return { instance: match[1], generation: match[2] === undefined ? 0 : Number(match[2]) };
}

/** The release an instance belongs to, from its id (`v3.web.1.ab12` → 3). */
export function releaseOfInstance(instance: string): number | undefined {
  const match = /^v(\d+)\./.exec(instance);
  return match?.[1] ? Number(match[1]) : undefined;
}

export function formatLine(time: Date, stream: LogStreamName, text: string): string {
  return `${time.toISOString()} ${stream} ${text}\n`;
}

/** A line written by `formatLine`; anything else (an older plain log) is kept as stdout text at `fallbackTime`. */
export function parseLine(raw: string, fallbackTime: string): ParsedLine {
  const first = raw.indexOf(' ');
  const second = first > 0 ? raw.indexOf(' ', first + 1) : -1;
  if (first === 24 && second > 0) {
    const stream = raw.slice(first + 1, second);
    if (stream === 'stdout' || stream === 'stderr') {
      return { time: raw.slice(0, first), stream, text: raw.slice(second + 1) };
    }
  }
  return { time: fallbackTime, stream: 'stdout', text: raw };
}

/** Appends lines to the live file and rotates it past `maxBytes`, keeping `generations` older files. */
export class RotatingLogWriter {
  private fd: number;
  private size: number;

  constructor(
    private readonly file: string,
    private readonly maxBytes = LOG_MAX_BYTES,
    private readonly generations = LOG_GENERATIONS,
  ) {
    this.fd = openSync(file, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(stream: LogStreamName, text: string, time = new Date()): void {
    for (let start = 0; start === 0 || start < text.length; start += LOG_LINE_MAX) {
      const line = Buffer.from(formatLine(time, stream, text.slice(start, start + LOG_LINE_MAX)));
      if (this.size > 0 && this.size + line.length > this.maxBytes) this.rotate();
      writeSync(this.fd, line);
      this.size += line.length;
    }
  }

  /** `.log.N-1` → `.log.N` … `.log` → `.log.1`; a reader that holds the old file keeps reading it. */
  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${this.generations}`, { force: true });
    for (let n = this.generations - 1; n >= 1; n--) {
      try {
        renameSync(`${this.file}.${n}`, `${this.file}.${n + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Splits a byte stream into lines; the last partial line waits for its end (or `end()`). */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, end).replace(/\r$/, ''));
      start = end + 1;
    }
    this.partial = text.slice(start);
    if (this.partial.length > LOG_LINE_MAX) {
      this.onLine(this.partial);
      this.partial = '';
    }
  }

  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}
