// Searching an ECS environment's logs, newest first. FilterLogEvents reads a time window oldest first,
// so a page is made by reading windows back from `until`: a window too dense to read whole is narrowed,
// one too sparse to fill the page is widened. The token carries where the page ended (the oldest time
// and the event ids already shown at that millisecond) and the window size that worked.
import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { AppError } from '../../../../shared/errors.js';
import type { LogLine } from '../../../../shared/model.js';
import type { LogPage } from '../../../../shared/contract/index.js';
import type { LogSearchQuery } from '../../capabilities.js';
import type { EnvironmentContext } from '../../provider.js';
import { ecsTarget, type Runtime } from '../runtime.js';
import { environmentLogs, instanceStreams, toLines, type LogGroupSource, type TaskReleases } from './log-sources.js';

/** FilterLogEvents returns at most this many events a call. */
const FILTER_LIMIT = 10_000;
const FIRST_WINDOW_MS = 15 * 60_000;

export interface WindowRead {
  readonly events: FilteredLogEvent[];
  /** More events lie in the window than `cap`. */
  readonly truncated: boolean;
}

/** Events of one group in [start, end] (ms, both inclusive), oldest first, at most `cap`. */
export async function readWindow(
  rt: Runtime,
  ctx: EnvironmentContext,
  source: LogGroupSource,
  query: { readonly instance?: string | undefined; readonly filter?: string | undefined },
  start: number,
  end: number,
  cap: number,
  signal?: AbortSignal,
): Promise<WindowRead> {
  const target = ecsTarget(ctx);
  const session = rt.session({ profile: target.profile, region: source.region });
  const [onlyPrefix] = source.streamPrefixes;
  const streams =
    query.instance !== undefined
      ? { logStreamNames: instanceStreams(source, query.instance) }
      : source.streamPrefixes.length === 1 && onlyPrefix !== undefined
        ? { logStreamNamePrefix: onlyPrefix }
        : {};
  const events: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    if (signal?.aborted) break;
    const out = await session.logs(
      new FilterLogEventsCommand({
        logGroupName: source.group,
        ...streams,
        ...(query.filter ? { filterPattern: query.filter } : {}),
        startTime: start,
        endTime: end,
        limit: Math.min(FILTER_LIMIT, cap - events.length + 1),
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
      `log group ${source.group}`,
    );
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken !== undefined && events.length <= cap);
  events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return { events: events.slice(0, cap), truncated: events.length > cap || nextToken !== undefined };
}

interface Cursor {
  /** Upper bound (ms, inclusive) of the next page. */
  readonly u: number;
  /** Event ids at `u` already shown. */
  readonly x: string[];
  /** Window size (ms) that worked last. */
  readonly w: number;
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(token: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof value.u === 'number' && Array.isArray(value.x) && typeof value.w === 'number' && value.w > 0) {
      return { u: value.u, x: value.x.filter((x): x is string => typeof x === 'string'), w: value.w };
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError('INVALID_INPUT', 'The log search token is not one this search gave out. Start the search again.');
}

const timeOf = (line: LogLine): number => Date.parse(line.time);
const newestFirst = (a: LogLine, b: LogLine): number => timeOf(b) - timeOf(a) || (a.id < b.id ? 1 : -1);

export async function searchLogs(
  rt: Runtime,
  releases: TaskReleases,
  ctx: EnvironmentContext,
  query: LogSearchQuery,
): Promise<LogPage> {
  const logs = await environmentLogs(rt, ctx);
  const since = Date.parse(query.since);
  const cursor = query.nextToken === undefined ? undefined : decode(query.nextToken);
  const upper = cursor?.u ?? Date.parse(query.until);
  const skip = new Set(cursor?.x ?? []);
  const cap = Math.min(FILTER_LIMIT, Math.max(1_000, query.limit * 4));
  let width = cursor?.w ?? Math.min(FIRST_WINDOW_MS, Math.max(1, upper - since + 1));
  let top = upper;
  let start = top;
  const collected: LogLine[] = [];
  while (top >= since) {
    start = Math.max(since, top - width + 1);
    const reads = await Promise.all(
      logs.groups.map(async (source) => ({
        source,
        read: await readWindow(rt, ctx, source, query, start, top, cap),
      })),
    );
    if (reads.some(({ read }) => read.truncated) && top > start) {
      // Too many lines to read whole: the newest are at the end; narrow the window and read again.
      width = Math.max(1, Math.floor((top - start + 1) / 8));
      continue;
    }
    for (const { source, read } of reads) {
      collected.push(
        ...toLines(source, read.events, (event) => event.eventId ?? '', query.instance).filter(
          (line) => !skip.has(line.id),
        ),
      );
    }
    if (collected.length >= query.limit || start <= since) break;
    top = start - 1;
    width *= 4;
  }
  collected.sort(newestFirst);
  const page = collected.slice(0, query.limit);
  const oldest = page.at(-1);
  const more = oldest !== undefined && page.length === query.limit && (collected.length > page.length || start > since);
  let nextToken: string | undefined;
  if (more) {
    const at = timeOf(oldest);
    const shown = page.filter((line) => timeOf(line) === at).map((line) => line.id);
    nextToken = encode({ u: at, x: at === upper ? [...skip, ...shown] : shown, w: width });
  }
  return {
    lines: await releases.annotate(rt, ctx, logs, page),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}
