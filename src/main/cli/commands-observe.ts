// Logs, metrics and alarms: `slipway logs`, `metrics`, `metrics:enable-detailed`, `alarms`,
// `alarms:create`, `alarms:delete`, `alarms:guard-deploys`.
import {
  METRIC_RANGES,
  type LogTailEvent,
  type MetricRange,
  type MetricsResult,
  type ProcedureInput,
  type ProcedureName,
  type ProcedureOutput,
} from '../../shared/contract/index.js';
import type { Alarm, LogLine, MetricSeries } from '../../shared/model.js';
import { parseCount } from './args.js';
import { ENV_OPTION, PIPELINE, need, str } from './commands-read.js';
import { oneLine, relativeTime, table } from './format.js';
import { CommandFailed, UsageError, type CommandContext, type CommandSpec } from './spec.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `2d` before now, or an ISO time. */
export function parseTime(text: string, option: string, now: number): string {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (match) return new Date(now - Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000)).toISOString();
  const at = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(at)) return new Date(at).toISOString();
  throw new UsageError(
    `--${option} takes a duration before now (30s, 15m, 1h, 2d) or an ISO time; got "${text}".`,
    'Example: slipway logs demo --env staging --since 1h',
  );
}

/**
 * Metrics and alarm states live in the process that samples (the window or `slipway serve`): when one
 * runs for this workspace, ask it; otherwise this process answers, from a brief sample of its own.
 */
async function callSampler<N extends ProcedureName>(
  ctx: CommandContext,
  name: N,
  input: ProcedureInput<N>,
): Promise<ProcedureOutput<N>> {
  const { readServerFile } = await import('../transports/server-file.js');
  const server = await readServerFile(ctx.home);
  if (server && server.pid !== process.pid && alive(server.pid)) {
    try {
      const response = await fetch(`${server.url.replace(/\/$/, '')}/api/call/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(10_000),
      });
      const envelope = (await response.json()) as
        { ok: true; value: ProcedureOutput<N> } | { ok: false; error: { code: never; message: string } };
      if (envelope.ok) return envelope.value;
      throw new CommandFailed(envelope.error);
    } catch (error) {
      if (error instanceof CommandFailed) throw error;
      // Not reachable after all (it just stopped): answer here.
    }
  }
  return ctx.call(name, input);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const TAIL_OPTIONS = {
  env: ENV_OPTION,
  tail: { type: 'boolean', short: 't', help: 'Follow new lines as they are written (Ctrl-C stops).' },
  since: { type: 'string', value: 'WHEN', help: 'From this long ago (30s, 15m, 1h, 2d) or an ISO time (default 1h).' },
  until: { type: 'string', value: 'WHEN', help: 'Up to this time (search only; default now).' },
  filter: {
    type: 'string',
    value: 'TEXT',
    help: 'Only lines matching (a substring locally, a filter pattern on AWS).',
  },
  instance: { type: 'string', value: 'ID', help: "Only this instance's lines." },
  limit: { type: 'string', value: 'N', help: 'How many lines at most (search only; default 200, at most 1000).' },
} as const;

const logText = (line: LogLine): string => `${line.time} ${line.instance}: ${line.text}\n`;

export const logs: CommandSpec = {
  name: 'logs',
  summary: "An environment's log lines: a time range (newest last), or followed live with --tail.",
  args: [PIPELINE],
  options: TAIL_OPTIONS,
  examples: [
    'slipway logs demo --env staging --since 15m',
    'slipway logs demo --env production --tail --filter error',
    'slipway logs demo --env staging --tail --json | jq .text',
  ],
  async run(ctx) {
    const now = ctx.io.now();
    const where = { pipeline: ctx.args[0] ?? '', environment: need(ctx.opts, 'env') };
    const since = str(ctx.opts, 'since');
    const until = str(ctx.opts, 'until');
    const filter = str(ctx.opts, 'filter');
    const instance = str(ctx.opts, 'instance');
    const query = {
      ...where,
      ...(filter === undefined ? {} : { filter }),
      ...(instance === undefined ? {} : { instance }),
    };
    if (ctx.opts.tail === true) {
      if (until !== undefined) throw new UsageError('--until does not go with --tail: a tail has no end.');
      return follow(ctx, { ...query, ...(since === undefined ? {} : { since: parseTime(since, 'since', now) }) });
    }
    const limit = str(ctx.opts, 'limit');
    const page = await ctx.call('logs.search', {
      ...query,
      since: parseTime(since ?? '1h', 'since', now),
      until: until === undefined ? new Date(now).toISOString() : parseTime(until, 'until', now),
      ...(limit === undefined ? {} : { limit: parseCount(limit, 'limit', 1_000) }),
    });
    // Read like a terminal: oldest at the top, the newest line last.
    const human =
      page.lines.length === 0
        ? 'No log lines in that time range.\n'
        : [...page.lines].reverse().map(logText).join('') +
          (page.nextToken ? `… older lines exist: narrow --since or raise --limit.\n` : '');
    return { value: page, human };
  },
};

/** Prints lines as they come until Ctrl-C (exit 0) or an error from the source (exit 1). */
async function follow(ctx: CommandContext, input: ProcedureInput<'logs.search'>): Promise<number> {
  const ended = new AbortController();
  let failure: { code: string; message: string } | undefined;
  const write = (event: LogTailEvent): void => {
    switch (event.type) {
      case 'lines':
        for (const line of event.lines) ctx.io.stdout(ctx.json ? `${JSON.stringify(line)}\n` : logText(line));
        return;
      case 'skipped':
        if (ctx.json) ctx.io.stdout(`${JSON.stringify(event)}\n`);
        else
          ctx.io.stderr(
            `… ${event.count} lines skipped (${event.reason === 'behind' ? 'output fell behind' : 'the source dropped them'})\n`,
          );
        return;
      case 'notice':
        ctx.io.stderr(`${event.message}\n`);
        return;
      case 'error':
        failure = event;
        ended.abort();
        return;
    }
  };
  const subscription = await ctx.subscribe('logs.tail', input, write);
  try {
    ctx.io.stderr(`Following ${input.pipeline}/${input.environment}; Ctrl-C stops.\n`);
    await ctx.io.untilStopped(ended.signal);
  } finally {
    await subscription.dispose();
  }
  if (failure) throw new CommandFailed(failure as never);
  return 0;
}

const parseRange = (text: string): MetricRange => {
  if ((METRIC_RANGES as readonly string[]).includes(text)) return text as MetricRange;
  throw new UsageError(`--since takes one of ${METRIC_RANGES.join(', ')}; got "${text}".`);
};

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const valueText = (series: MetricSeries, value: number | undefined): string =>
  value === undefined ? '—' : series.unit === 'bytes' ? megabytes(value) : `${value.toFixed(1)}%`;

function summarise(result: MetricsResult): string {
  const rows = new Map<string, string[]>();
  for (const series of result.series) {
    const key = series.instance ?? '(environment)';
    const values = series.points.map((point) => point.value);
    const latest = values.at(-1);
    const peak = values.length > 0 ? Math.max(...values) : undefined;
    const row = rows.get(key) ?? [key, '—', '—', '—', '—'];
    const offset = series.metric === 'cpu' ? 1 : 3;
    row[offset] = valueText(series, latest);
    row[offset + 1] = valueText(series, peak);
    rows.set(key, row);
  }
  let text =
    rows.size === 0
      ? `No samples in the last ${result.range}.\n`
      : table(['INSTANCE', 'CPU NOW', 'CPU PEAK', 'MEMORY NOW', 'MEMORY PEAK'], [...rows.values()]);
  for (const release of result.releases)
    text += `v${release.version} ${release.kind} at ${release.time}: ${release.description}\n`;
  for (const note of result.notes) text += `Note: ${note}\n`;
  if (result.detailedOffer)
    text += `Turn on per-instance metrics (${result.detailedOffer.what}): slipway metrics:enable-detailed PIPELINE --env ENV\n`;
  return text;
}

/**
 * Whether to ask before a change a person pays for or that changes how rollouts end: not with --yes;
 * without a terminal to ask in, a clear refusal.
 */
function shouldAsk(ctx: CommandContext, command: string): boolean {
  if (ctx.opts.yes === true) return false;
  if (!ctx.io.interactive) {
    throw new UsageError(
      `${command} changes the environment and asks first; there is no terminal to ask in.`,
      'Pass --yes to go ahead without asking.',
    );
  }
  return true;
}

async function confirm(ctx: CommandContext, question: string): Promise<void> {
  const answer = (await ctx.io.ask(`${question} [y/N] `))?.trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') {
    throw new CommandFailed({ code: 'INVALID_INPUT', message: 'Not confirmed; nothing changed.' });
  }
}

const YES_OPTION = { type: 'boolean', short: 'y', help: 'Do not ask; needed when not run in a terminal.' } as const;

export const metricsEnableDetailed: CommandSpec = {
  name: 'metrics:enable-detailed',
  summary:
    "Turn on per-instance CPU and memory where the environment's provider bills for them (ECS: Container Insights); says what it costs and asks first.",
  args: [PIPELINE],
  options: { env: ENV_OPTION, yes: YES_OPTION },
  examples: [
    'slipway metrics:enable-detailed shop --env production',
    'slipway metrics:enable-detailed shop --env production --yes --json',
  ],
  async run(ctx) {
    const where = { pipeline: ctx.args[0] ?? '', environment: need(ctx.opts, 'env') };
    if (shouldAsk(ctx, 'metrics:enable-detailed')) {
      // The offer names the feature and its cost; without one there is nothing to pay for (on already,
      // or the provider has it always) and the call below says which.
      const offer = (await callSampler(ctx, 'metrics.get', { ...where, range: '1h' })).detailedOffer;
      if (offer) {
        ctx.io.stderr(`${offer.cost}\n`);
        await confirm(ctx, `Turn on ${offer.what} for ${where.pipeline}/${where.environment}?`);
      }
    }
    const value = await ctx.call('metrics.enableDetailed', where);
    const human = value.changed
      ? `Turned on per-instance metrics for ${where.environment}. ${value.cost}\nPer-instance graphs fill in as new samples arrive (a few minutes).\n`
      : `Per-instance metrics were on already for ${where.environment}; nothing changed.\n`;
    return { value, human };
  },
};

export const metrics: CommandSpec = {
  name: 'metrics',
  summary: 'CPU and memory per instance (now and peak) over the last 1h, 6h, 24h or 7d, with releases made then.',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    since: { type: 'string', value: 'RANGE', help: 'One of 1h, 6h, 24h, 7d (default 1h).' },
  },
  examples: ['slipway metrics demo --env production --since 24h', 'slipway metrics demo --env staging --json'],
  async run(ctx) {
    const value = await callSampler(ctx, 'metrics.get', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
      range: parseRange(str(ctx.opts, 'since') ?? '1h'),
    });
    return { value, human: summarise(value) };
  },
};

const alarmRows = (list: readonly Alarm[], now: number): string =>
  list.length === 0
    ? 'No alarms. Add one with slipway alarms:create.\n'
    : table(
        ['NAME', 'METRIC', 'ABOVE', 'PERIOD', 'STATE', 'SINCE', 'WHY'],
        list.map((alarm) => [
          alarm.name,
          alarm.metric,
          alarm.metric === 'target5xx' ? String(alarm.threshold) : `${alarm.threshold}%`,
          `${alarm.evaluationPeriods > 1 ? `${alarm.evaluationPeriods}×` : ''}${alarm.periodSeconds}s`,
          alarm.state,
          relativeTime(alarm.stateChangedAt, now),
          oneLine(alarm.reason ?? '', 70),
        ]),
      );

export const alarms: CommandSpec = {
  name: 'alarms',
  summary: "An environment's alarms and their state.",
  args: [PIPELINE],
  options: { env: ENV_OPTION },
  examples: ['slipway alarms demo --env production'],
  async run(ctx) {
    const value = await callSampler(ctx, 'alarms.list', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
    });
    return { value, human: alarmRows(value, ctx.io.now()) };
  },
};

const METRICS = ['cpu', 'memory', 'target5xx'] as const;

export const alarmsCreate: CommandSpec = {
  name: 'alarms:create',
  summary: 'Alarm when CPU %, memory % or target 5xx responses stay above a threshold.',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    metric: { type: 'string', value: 'METRIC', help: 'cpu, memory or target5xx.', required: true },
    threshold: {
      type: 'string',
      value: 'N',
      help: 'Percent for cpu and memory, a count per period for target5xx.',
      required: true,
    },
    period: { type: 'string', value: 'SECONDS', help: 'Length of one period (default 60).' },
    periods: { type: 'string', value: 'N', help: 'Periods in a row above the threshold before it fires (default 1).' },
    name: { type: 'string', value: 'NAME', help: 'Default: PIPELINE-ENV-METRIC-THRESHOLD.' },
  },
  examples: ['slipway alarms:create demo --env production --metric memory --threshold 80 --period 60'],
  async run(ctx) {
    const metric = need(ctx.opts, 'metric');
    if (!(METRICS as readonly string[]).includes(metric))
      throw new UsageError(`--metric is one of ${METRICS.join(', ')}; got "${metric}".`);
    const thresholdText = need(ctx.opts, 'threshold');
    const threshold = Number(thresholdText);
    if (!/^\d+(\.\d+)?$/.test(thresholdText) || !(threshold > 0))
      throw new UsageError(`--threshold takes a number above 0; got "${thresholdText}".`);
    const period = str(ctx.opts, 'period');
    const periods = str(ctx.opts, 'periods');
    const name = str(ctx.opts, 'name');
    const value = await ctx.call('alarms.create', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
      metric: metric as (typeof METRICS)[number],
      threshold,
      ...(period === undefined ? {} : { periodSeconds: parseCount(period, 'period', 86_400) }),
      ...(periods === undefined ? {} : { evaluationPeriods: parseCount(periods, 'periods', 100) }),
      ...(name === undefined ? {} : { name }),
    });
    return { value, human: `Created alarm ${value.name} (${value.state}).\n` };
  },
};

export const alarmsGuardDeploys: CommandSpec = {
  name: 'alarms:guard-deploys',
  summary:
    'Watch every rollout of an environment with its alarms and roll back when one fires (default: every alarm Slipway made there).',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    alarm: {
      type: 'string',
      value: 'NAME',
      help: 'An alarm to watch rollouts with (repeat for more).',
      multiple: true,
    },
    yes: YES_OPTION,
  },
  examples: [
    'slipway alarms:guard-deploys shop --env production',
    'slipway alarms:guard-deploys shop --env production --alarm shop-production-memory-80 --yes',
  ],
  async run(ctx) {
    const where = { pipeline: ctx.args[0] ?? '', environment: need(ctx.opts, 'env') };
    const named = ctx.opts.alarm;
    const alarmNames = Array.isArray(named) ? [...new Set(named as readonly string[])] : [];
    const which = alarmNames.length > 0 ? alarmNames.join(', ') : 'every alarm Slipway made there';
    if (shouldAsk(ctx, 'alarms:guard-deploys')) {
      await confirm(
        ctx,
        `Watch every rollout of ${where.pipeline}/${where.environment} with ${which}, rolling back when one fires?`,
      );
    }
    const value = await ctx.call('alarms.guardDeploys', {
      ...where,
      ...(alarmNames.length > 0 ? { alarms: alarmNames } : {}),
    });
    const rollback = value.rollback ? ' and roll back when one fires' : '';
    const human = value.changed
      ? `Rollouts of ${where.environment} are watched by ${value.alarms.join(', ')}${rollback}.\n`
      : `Rollouts of ${where.environment} are already watched by ${value.alarms.join(', ')}${rollback}; nothing changed.\n`;
    return { value, human };
  },
};

export const alarmsDelete: CommandSpec = {
  name: 'alarms:delete',
  summary: 'Delete an alarm Slipway made.',
  args: [PIPELINE],
  options: { env: ENV_OPTION, name: { type: 'string', value: 'NAME', help: 'The alarm, as listed.', required: true } },
  examples: ['slipway alarms:delete demo --env production --name demo-production-memory-80'],
  async run(ctx) {
    const value = await ctx.call('alarms.delete', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
      name: need(ctx.opts, 'name'),
    });
    return { value, human: `Deleted alarm ${value.name}.\n` };
  },
};
