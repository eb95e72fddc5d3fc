// Feeds a provider's log tail to one reader without ever holding more than a fixed number of lines for
// it. While the reader's transport is full (a slow socket, a paused terminal) lines wait here; past the
// cap the oldest are dropped and the reader gets one "N lines skipped" marker before what follows.
import type { LogTailEvent } from '../../shared/contract/index.js';
import type { LogLine } from '../../shared/model.js';
import { toWire } from '../../shared/errors.js';
import type { LogTailChunk } from '../providers/capabilities.js';
import type { Disposable } from '../util/disposable.js';

export interface BoundedTailOptions {
  /** Most lines kept for a reader that is behind. */
  readonly maxLines?: number;
  /** Most lines in one event. */
  readonly batchLines?: number;
  /** Bytes the transport holds for the reader; above `maxBacklogBytes` nothing more is sent. */
  readonly backlog?: () => number;
  readonly maxBacklogBytes?: number;
  /** How long to wait before looking at a full transport again. */
  readonly retryMs?: number;
}

/** Notices held for a reader that is behind; more are dropped (they repeat). */
const MAX_PENDING = 32;

export const TAIL_DEFAULTS = { maxLines: 10_000, batchLines: 1_000, maxBacklogBytes: 1024 * 1024, retryMs: 20 };

/**
 * `open(signal)` starts the source (it may throw, e.g. NOT_FOUND for the environment); an error ends
 * the tail with one `error` event. Disposing aborts the source and drops what is held.
 */
export function boundedTail(
  open: (signal: AbortSignal) => Promise<AsyncIterable<LogTailChunk>>,
  emit: (event: LogTailEvent) => void,
  options: BoundedTailOptions = {},
): Disposable & { readonly held: number } {
  const maxLines = options.maxLines ?? TAIL_DEFAULTS.maxLines;
  const batchLines = options.batchLines ?? TAIL_DEFAULTS.batchLines;
  const maxBacklog = options.maxBacklogBytes ?? TAIL_DEFAULTS.maxBacklogBytes;
  const retryMs = options.retryMs ?? TAIL_DEFAULTS.retryMs;
  const abort = new AbortController();
  // Held lines as a queue: `head` advances instead of shifting, compacted when it passes half.
  let queue: LogLine[] = [];
  let head = 0;
  let behind = 0;
  const pending: LogTailEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scheduled = false;

  const held = (): number => queue.length - head;
  const full = (): boolean => (options.backlog?.() ?? 0) > maxBacklog;

  const flush = (): void => {
    scheduled = false;
    timer = undefined;
    if (abort.signal.aborted) return;
    while (held() > 0 || pending.length > 0 || behind > 0) {
      if (full()) {
        schedule(retryMs);
        return;
      }
      if (behind > 0) {
        emit({ type: 'skipped', count: behind, reason: 'behind' });
        behind = 0;
        continue;
      }
      if (held() > 0) {
        const lines = queue.slice(head, head + batchLines);
        head += lines.length;
        if (head === queue.length) {
          queue = [];
          head = 0;
        }
        emit({ type: 'lines', lines });
        continue;
      }
      // Notices and source gaps are sent in order after the lines that came before them.
      const next = pending.shift();
      if (next) emit(next);
    }
  };

  const schedule = (delayMs = 0): void => {
    if (scheduled || abort.signal.aborted) return;
    scheduled = true;
    timer = setTimeout(flush, delayMs);
  };

  const push = (lines: readonly LogLine[]): void => {
    for (const line of lines) queue.push(line);
    const over = held() - maxLines;
    if (over > 0) {
      head += over;
      behind += over;
    }
    if (head > 4_096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  };

  const run = async (): Promise<void> => {
    try {
      const source = await open(abort.signal);
      for await (const chunk of source) {
        if (abort.signal.aborted) break;
        if (chunk.type === 'lines') {
          if (chunk.lines.length > 0) push(chunk.lines);
        } else if (pending.length < MAX_PENDING) {
          // Sent after the lines held now; lines keep their order among themselves.
          pending.push(chunk);
        }
        schedule();
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      const wire = toWire(error);
      pending.push({ type: 'error', code: wire.code, message: wire.message });
      schedule();
    }
  };

  void run();

  return {
    get held() {
      return held();
    },
    dispose() {
      abort.abort();
      if (timer) clearTimeout(timer);
      queue = [];
      head = 0;
      pending.length = 0;
    },
  };
}
