// Following an ECS environment's logs. CloudWatch Logs StartLiveTail pushes new lines about once a
// second; a session ends after three hours (or when the connection drops) and is reopened at once, and
// the seconds in between are read back with FilterLogEvents so no line is lost. Where live tail is
// refused (no logs:StartLiveTail) or keeps failing, the tail polls FilterLogEvents instead.
//
// Live Tail events carry no event id, so a line's id is a digest of its group, stream, time and text;
// that is also what drops the lines read twice around a reconnect. Polling drops repeats by eventId.
import { createHash } from 'node:crypto';
import { StartLiveTailCommand, type LiveTailSessionLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { isAppError } from '../../../../shared/errors.js';
import type { LogTailChunk, LogQuery } from '../../capabilities.js';
import type { EnvironmentContext } from '../../provider.js';
import { chunk, type Sleep } from '../async-util.js';
import { toAppError } from '../errors.js';
import { ecsTarget, type Runtime } from '../runtime.js';
import { Channel, RecentKeys } from './channel.js';
import type { ObservabilityClients } from './clients.js';
import { readWindow } from './log-search.js';
import {
  environmentLogs,
  instanceStreams,
  toLines,
  type EnvironmentLogs,
  type LogGroupSource,
  type RawEvent,
  type TaskReleases,
} from './log-sources.js';

/** StartLiveTail takes at most 10 log groups a session (API reference). */
export const LIVE_TAIL_MAX_GROUPS = 10;
/** How far back a reconnect or a poll reads again, for lines ingested late. */
const OVERLAP_MS = 10_000;
/** Consecutive failed sessions before the tail falls back to polling. */
const MAX_LIVE_FAILURES = 3;
const REMEMBERED_LINES = 100_000;

export interface TailOptions {
  /** Between FilterLogEvents polls when live tail is not available. */
  readonly pollMs: number;
  /** Least time between two sessions of one plan (a session that ends at once is not reopened in a loop). */
  readonly reconnectMs: number;
  readonly sleep: Sleep;
  readonly now: () => number;
}

export interface TailDeps {
  readonly rt: Runtime;
  readonly clients: ObservabilityClients;
  readonly releases: TaskReleases;
  readonly options: TailOptions;
}

/** One StartLiveTail session's scope: up to 10 groups of a region, or one group narrowed to streams. */
export interface LivePlan {
  readonly region: string;
  readonly sources: readonly LogGroupSource[];
  readonly streams?: { readonly logStreamNames: string[] } | { readonly logStreamNamePrefixes: string[] };
}

/**
 * Stream filters work only with a single group, so a group is narrowed on the server when it is the only
 * one of its region or when one instance is asked for; otherwise up to 10 groups share a session and
 * lines of other services in a shared group are dropped here by their stream name.
 */
export function livePlans(groups: readonly LogGroupSource[], instance?: string): LivePlan[] {
  const byRegion = new Map<string, LogGroupSource[]>();
  for (const source of groups) byRegion.set(source.region, [...(byRegion.get(source.region) ?? []), source]);
  const plans: LivePlan[] = [];
  for (const [region, sources] of byRegion) {
    if (instance !== undefined) {
      for (const source of sources)
        plans.push({ region, sources: [source], streams: { logStreamNames: instanceStreams(source, instance) } });
    } else if (sources.length === 1) {
      plans.push({ region, sources, streams: { logStreamNamePrefixes: [...(sources[0]?.streamPrefixes ?? [])] } });
    } else {
      for (const batch of chunk(sources, LIVE_TAIL_MAX_GROUPS)) plans.push({ region, sources: batch });
    }
  }
  return plans;
}

export const contentKey = (group: string, event: RawEvent): string =>
  createHash('sha1')
    .update(`${group}\u0000${event.logStreamName ?? ''}\u0000${event.timestamp ?? 0}\u0000${event.message ?? ''}`)
    .digest('base64url');

const isTimeout = (error: unknown): boolean =>
  (error as { name?: unknown } | undefined)?.name === 'SessionTimeoutException';

const groupNames = (sources: readonly LogGroupSource[]): string => sources.map((s) => s.group).join(', ');

export function tailLogs(
  deps: TailDeps,
  ctx: EnvironmentContext,
  query: LogQuery,
  outer: AbortSignal,
): AsyncIterable<LogTailChunk> {
  const { rt, clients, releases, options } = deps;
  // Aborted by the caller, or when the reader stops iterating: either way every session and poll ends.
  const controller = new AbortController();
  const signal = controller.signal;
  const target = ecsTarget(ctx);
  const channel = new Channel<LogTailChunk>();
  const seen = new RecentKeys(REMEMBERED_LINES);
  const seenIds = new RecentKeys(REMEMBERED_LINES);
  const startedAt = options.now();
  const since = query.since === undefined ? undefined : Date.parse(query.since);
  // Live Tail sends what was ingested after the session opened; an emulator may send older lines too.
  const liveFrom = since ?? startedAt - 2_000;
  const sampled = new Map<LivePlan, boolean>();
  let logs: EnvironmentLogs | undefined;

  const deliver = async (source: LogGroupSource, events: readonly RawEvent[], byEventId: boolean): Promise<void> => {
    if (!logs || events.length === 0) return;
    const fresh = events.filter((event) => {
      const key = contentKey(source.group, event);
      if (byEventId && event.eventId !== undefined && !seenIds.add(event.eventId)) {
        seen.add(key);
        return false;
      }
      return seen.add(key);
    });
    const lines = toLines(
      source,
      fresh,
      (event) => (byEventId && event.eventId !== undefined ? event.eventId : contentKey(source.group, event)),
      query.instance,
    );
    if (lines.length === 0 || signal.aborted) return;
    channel.push({ type: 'lines', lines: await releases.annotate(rt, ctx, logs, lines) });
  };

  /** Everything in [from, now] across the groups, oldest first. */
  const readBack = async (sources: readonly LogGroupSource[], from: number, byEventId: boolean): Promise<void> => {
    const to = options.now();
    for (const source of sources) {
      const read = await readWindow(rt, ctx, source, query, from, to, 10_000, signal);
      await deliver(source, read.events, byEventId);
      if (read.truncated) {
        channel.push({
          type: 'notice',
          message: `More than 10,000 lines were written to ${source.group} while the tail reconnected; the oldest of them are only in a search.`,
        });
      }
    }
  };

  const onUpdate = async (plan: LivePlan, results: readonly LiveTailSessionLogEvent[], isSampled: boolean) => {
    if (isSampled !== (sampled.get(plan) ?? false)) {
      sampled.set(plan, isSampled);
      channel.push({
        type: 'notice',
        message: isSampled
          ? `AWS is sampling the live tail of ${groupNames(plan.sources)}: more than 500 lines a second match, so CloudWatch sends 500 of them each second. Narrow it with a filter or an instance, or search to see every line.`
          : `AWS stopped sampling the live tail of ${groupNames(plan.sources)}; every line shows again.`,
      });
    }
    for (const source of plan.sources) {
      const events = results.filter(
        (event) =>
          (event.logGroupIdentifier === source.arn || event.logGroupIdentifier?.replace(/:\*$/, '') === source.arn) &&
          (event.ingestionTime ?? event.timestamp ?? 0) >= liveFrom,
      );
      await deliver(source, events, false);
    }
  };

  /** Runs sessions for one plan until the tail ends; answers 'poll' when live tail cannot serve it. */
  const live = async (plan: LivePlan): Promise<'done' | 'poll'> => {
    const key = { profile: target.profile, region: plan.region };
    let failures = 0;
    let opened = false;
    let lastEnd: number | undefined;
    while (!signal.aborted) {
      const openedAt = options.now();
      try {
        const client = await clients.liveTail(key);
        const out = await client.send(
          new StartLiveTailCommand({
            logGroupIdentifiers: plan.sources.map((source) => source.arn),
            ...plan.streams,
            ...(query.filter ? { logEventFilterPattern: query.filter } : {}),
          }),
          { abortSignal: signal },
        );
        opened = true;
        failures = 0;
        // The lines written while no session was open.
        if (lastEnd !== undefined) await readBack(plan.sources, lastEnd - OVERLAP_MS, false);
        for await (const event of out.responseStream ?? []) {
          if (signal.aborted) break;
          if (event.sessionUpdate) {
            await onUpdate(
              plan,
              event.sessionUpdate.sessionResults ?? [],
              event.sessionUpdate.sessionMetadata?.sampled === true,
            );
          } else if (event.SessionTimeoutException) {
            break;
          } else if (event.SessionStreamingException) {
            throw Object.assign(new Error(event.SessionStreamingException.message ?? 'Live Tail stream failed'), {
              name: 'SessionStreamingException',
            });
          }
        }
      } catch (error) {
        if (signal.aborted) return 'done';
        if (!isTimeout(error)) {
          const failure = toAppError(error, {
            action: 'logs:StartLiveTail',
            target: `log groups ${groupNames(plan.sources)}`,
            profile: key.profile,
            region: key.region,
          });
          failures++;
          if ((!opened && failure.code === 'PROVIDER_DENIED') || failures >= MAX_LIVE_FAILURES) {
            channel.push({
              type: 'notice',
              message: `Live tail is not available (${failure.message}) Following ${groupNames(plan.sources)} by reading new lines every ${Math.round(options.pollMs / 1000)} s instead.`,
            });
            return 'poll';
          }
          channel.push({ type: 'notice', message: `The live tail was interrupted (${failure.message}) Reconnecting…` });
        }
      }
      lastEnd = options.now();
      const wait = options.reconnectMs - (lastEnd - openedAt);
      if (wait > 0) await options.sleep(wait, signal).catch(() => undefined);
    }
    return 'done';
  };

  const poll = async (sources: readonly LogGroupSource[], from: number): Promise<void> => {
    let next = from;
    while (!signal.aborted) {
      const now = options.now();
      await readBack(sources, next, true);
      next = now - OVERLAP_MS;
      await options.sleep(options.pollMs, signal).catch(() => undefined);
    }
  };

  const run = async (): Promise<void> => {
    logs = await environmentLogs(rt, ctx);
    if (since !== undefined) await readBack(logs.groups, since, false);
    await Promise.all(
      livePlans(logs.groups, query.instance).map(async (plan) => {
        if ((await live(plan)) === 'poll') await poll(plan.sources, options.now() - OVERLAP_MS);
      }),
    );
  };

  const onAbort = (): void => {
    controller.abort();
    channel.close();
  };
  if (outer.aborted) onAbort();
  outer.addEventListener('abort', onAbort, { once: true });
  run().then(
    () => channel.close(),
    (error: unknown) => {
      if (signal.aborted) channel.close();
      else channel.fail(isAppError(error) ? error : toAppError(error, { action: 'logs:FilterLogEvents' }));
    },
  );
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* channel;
      } finally {
        outer.removeEventListener('abort', onAbort);
        onAbort();
      }
    },
  };
}
