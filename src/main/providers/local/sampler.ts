// CPU and memory of each local instance, sampled every few seconds from /proc while this Slipway
// process runs, into a bounded history: every sample for the last hour, minute averages for a week.
import type { MetricSeries } from '../../../shared/model.js';
import { isGroupAlive } from './processes.js';
import { listInstanceRecords } from './instances.js';
import type { EnvironmentPaths } from './paths.js';
import { descendants, procAvailable, readProc } from './proc-stats.js';

/** SLIPWAY_SAMPLE_MS overrides it (tests, benches). */
export const SAMPLE_MS = 5_000;
const RAW_KEEP_MS = 3_600_000;
const MINUTE_MS = 60_000;
const MINUTES_KEPT = 7 * 24 * 60;

export interface Sample {
  readonly at: number;
  /** Percent of one CPU core. */
  readonly cpu: number;
  readonly memory: number;
}

class InstanceHistory {
  readonly raw: Sample[] = [];
  readonly minutes: Sample[] = [];
  private minute: { start: number; cpu: number; memory: number; count: number } | undefined;
  /** CPU seconds per pid at the last sample, to turn totals into a rate. */
  cpuSeen = new Map<number, number>();
  lastAt = 0;

  add(sample: Sample): void {
    this.raw.push(sample);
    while (this.raw.length > 0 && (this.raw[0] as Sample).at < sample.at - RAW_KEEP_MS) this.raw.shift();
    const start = Math.floor(sample.at / MINUTE_MS) * MINUTE_MS;
    if (this.minute && this.minute.start !== start) this.closeMinute();
    this.minute ??= { start, cpu: 0, memory: 0, count: 0 };
    this.minute.cpu += sample.cpu;
    this.minute.memory += sample.memory;
    this.minute.count++;
  }

  private closeMinute(): void {
    const m = this.minute;
    if (!m) return;
    this.minutes.push({ at: m.start, cpu: m.cpu / m.count, memory: m.memory / m.count });
    if (this.minutes.length > MINUTES_KEPT) this.minutes.splice(0, this.minutes.length - MINUTES_KEPT);
    this.minute = undefined;
  }

  /** Samples in [since, until]: every sample when the range is within the last hour, else minute averages. */
  between(since: number, until: number, fine: boolean): Sample[] {
    const source =
      fine && since >= (this.raw[0]?.at ?? Infinity) - MINUTE_MS ? this.raw : [...this.minutes, ...this.open()];
    return source.filter((sample) => sample.at >= since && sample.at <= until);
  }

  private open(): Sample[] {
    const m = this.minute;
    return m ? [{ at: m.start, cpu: m.cpu / m.count, memory: m.memory / m.count }] : [];
  }
}

export class EnvironmentSampler {
  private readonly histories = new Map<string, InstanceHistory>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  readonly startedAt = Date.now();
  readonly intervalMs: number;

  constructor(
    private readonly paths: EnvironmentPaths,
    intervalMs = Number(process.env.SLIPWAY_SAMPLE_MS ?? SAMPLE_MS),
  ) {
    this.intervalMs = Number.isFinite(intervalMs) && intervalMs >= 100 ? intervalMs : SAMPLE_MS;
  }

  readonly available = procAvailable();

  /** Starts sampling (once); resolves after the first sample. */
  start(): Promise<void> {
    if (!this.available) return Promise.resolve();
    this.running ??= this.tick();
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      await this.sample();
    } finally {
      this.timer = setTimeout(() => void this.tick(), this.intervalMs);
      // Sampling never keeps a CLI command alive.
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads every live instance once. The first read of an instance sets the CPU baseline (0 %). */
  async sample(now = Date.now()): Promise<void> {
    const records = await listInstanceRecords(this.paths);
    await Promise.all(
      records.map(async (record) => {
        if (!isGroupAlive(record.pid)) return;
        // The supervisor (record.pid) only copies output; what counts is the app under it.
        const pids = await descendants(record.pid);
        let history = this.histories.get(record.id);
        if (!history) {
          history = new InstanceHistory();
          this.histories.set(record.id, history);
        }
        const seen = new Map<number, number>();
        let cpuSeconds = 0;
        let memory = 0;
        for (const pid of pids) {
          const proc = await readProc(pid);
          if (!proc) continue;
          const before = history.cpuSeen.get(pid);
          if (before !== undefined) cpuSeconds += Math.max(0, proc.cpuSeconds - before);
          seen.set(pid, proc.cpuSeconds);
          memory += proc.rssBytes;
        }
        const elapsed = history.lastAt > 0 ? (now - history.lastAt) / 1000 : 0;
        history.cpuSeen = seen;
        history.lastAt = now;
        history.add({ at: now, cpu: elapsed > 0 ? (cpuSeconds / elapsed) * 100 : 0, memory });
      }),
    );
    // A week after its last sample an instance is forgotten.
    for (const [id, history] of this.histories) {
      if (history.lastAt < now - MINUTES_KEPT * MINUTE_MS) this.histories.delete(id);
    }
  }

  /** Per-instance series and the environment's (the average over instances), in buckets of `periodSeconds`. */
  series(since: number, until: number, periodSeconds: number): MetricSeries[] {
    const periodMs = Math.max(periodSeconds * 1000, this.intervalMs);
    const fine = periodMs < MINUTE_MS;
    const bucket = (at: number): number => Math.floor(at / periodMs) * periodMs;
    const perInstance: MetricSeries[] = [];
    const environment = new Map<number, { cpu: number; memory: number; count: number }>();
    for (const [instance, history] of [...this.histories].sort(([a], [b]) => a.localeCompare(b))) {
      const buckets = new Map<number, { cpu: number; memory: number; count: number }>();
      for (const sample of history.between(since, until, fine)) {
        const key = bucket(sample.at);
        const b = buckets.get(key) ?? { cpu: 0, memory: 0, count: 0 };
        b.cpu += sample.cpu;
        b.memory += sample.memory;
        b.count++;
        buckets.set(key, b);
      }
      if (buckets.size === 0) continue;
      const cpu: MetricSeries['points'] = [];
      const memory: MetricSeries['points'] = [];
      for (const [at, b] of [...buckets].sort(([x], [y]) => x - y)) {
        const time = new Date(at).toISOString();
        cpu.push({ time, value: round(b.cpu / b.count) });
        memory.push({ time, value: Math.round(b.memory / b.count) });
        const e = environment.get(at) ?? { cpu: 0, memory: 0, count: 0 };
        e.cpu += b.cpu / b.count;
        e.memory += b.memory / b.count;
        e.count++;
        environment.set(at, e);
      }
      perInstance.push({ metric: 'cpu', unit: 'percent', instance, stat: 'average', points: cpu });
      perInstance.push({ metric: 'memory', unit: 'bytes', instance, stat: 'average', points: memory });
    }
    if (environment.size === 0) return [];
    const sorted = [...environment].sort(([x], [y]) => x - y);
    return [
      {
        metric: 'cpu',
        unit: 'percent',
        stat: 'average',
        points: sorted.map(([at, e]) => ({ time: new Date(at).toISOString(), value: round(e.cpu / e.count) })),
      },
      {
        metric: 'memory',
        unit: 'bytes',
        stat: 'average',
        points: sorted.map(([at, e]) => ({ time: new Date(at).toISOString(), value: Math.round(e.memory / e.count) })),
      },
      ...perInstance,
    ];
  }

  /** The environment's average of `metric` over [since, now], or undefined without samples in it. */
  average(metric: 'cpu' | 'memory', since: number, until = Date.now()): number | undefined {
    let total = 0;
    let count = 0;
    for (const history of this.histories.values()) {
      const samples = history.raw.filter((sample) => sample.at > since && sample.at <= until);
      if (samples.length === 0) continue;
      total += samples.reduce((sum, sample) => sum + sample[metric], 0) / samples.length;
      count++;
    }
    return count === 0 ? undefined : total / count;
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;
