// The main log: SLIPWAY_HOME/logs/slipway.log, one line per unexpected error with its cause chain. When
// the home cannot be written (full, read-only) the line goes to stderr instead, so it is never lost.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { UnexpectedErrorHandler } from './unexpected-error.js';

/** A message and every cause below it, stack of the first; never a value a caller passed in. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(depth === 0 ? (current.stack ?? current.message) : `caused by: ${current.stack ?? current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\n');
}

export const mainLogFile = (home: string): string => join(home, 'logs', 'slipway.log');

export function createMainLog(home: string, options: { alsoStderr?: boolean } = {}): UnexpectedErrorHandler {
  const file = mainLogFile(home);
  return (message, error) => {
    const line = `${new Date().toISOString()} pid ${process.pid} ${message}${error === undefined ? '' : `\n${describeError(error)}`}\n`;
    let written = false;
    try {
      mkdirSync(join(home, 'logs'), { recursive: true, mode: 0o700 });
      appendFileSync(file, line, { mode: 0o600 });
      written = true;
    } catch {
      // fall through to stderr
    }
    if (!written || options.alsoStderr) {
      const cause = error instanceof Error ? `: ${error.message}` : '';
      process.stderr.write(`slipway: ${message}${cause}${written ? '' : ` (could not write ${file})`}\n`);
    }
  };
}
