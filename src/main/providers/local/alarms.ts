// Local alarms: definitions in `<environment>/alarms.json` (so the CLI and the window share them),
// evaluated on the sampler's history by whichever Slipway process samples (the window, `slipway serve`).
// CPU is percent of one core; memory is percent of this computer's memory.
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { alarmMetricSchema, type Alarm, type AlarmState } from '../../../shared/model.js';
import type { AlarmSpec } from '../capabilities.js';
import { readJsonFile, writeJsonAtomic } from './files.js';
import type { EnvironmentPaths } from './paths.js';
import type { EnvironmentSampler } from './sampler.js';

const definitionSchema = z.object({
  name: z.string(),
  metric: alarmMetricSchema,
  threshold: z.number(),
  periodSeconds: z.number().int().positive(),
  evaluationPeriods: z.number().int().positive(),
  createdAt: z.string(),
});
type Definition = z.infer<typeof definitionSchema>;
const fileSchema = z.object({ alarms: z.array(definitionSchema) });

const alarmsFile = (paths: EnvironmentPaths): string => join(paths.root, 'alarms.json');

export async function readAlarmDefinitions(paths: EnvironmentPaths): Promise<Definition[]> {
  const parsed = fileSchema.safeParse(await readJsonFile(alarmsFile(paths)));
  return parsed.success ? parsed.data.alarms : [];
}

export async function addAlarmDefinition(paths: EnvironmentPaths, spec: AlarmSpec): Promise<Definition> {
  const alarms = await readAlarmDefinitions(paths);
  if (alarms.some((alarm) => alarm.name === spec.name)) {
    throw new AppError(
      'CONFLICT',
      `There is already an alarm named ${spec.name}; pick another name or delete it first.`,
    );
  }
  const definition: Definition = { ...spec, createdAt: new Date().toISOString() };
  await writeJsonAtomic(alarmsFile(paths), { alarms: [...alarms, definition] });
  return definition;
}

export async function removeAlarmDefinition(paths: EnvironmentPaths, name: string): Promise<void> {
  const alarms = await readAlarmDefinitions(paths);
  if (!alarms.some((alarm) => alarm.name === name)) {
    throw new AppError('NOT_FOUND', `There is no alarm named ${name}. "slipway alarms" lists them.`);
  }
  await writeJsonAtomic(alarmsFile(paths), { alarms: alarms.filter((alarm) => alarm.name !== name) });
}

const percentOf = (metric: 'cpu' | 'memory', value: number): number =>
  metric === 'memory' ? (value / totalmem()) * 100 : value;

/** Remembers when each alarm last changed state, so the UI can say "since". */
export class AlarmEvaluator {
  private readonly changed = new Map<string, { state: AlarmState; at: string }>();

  evaluate(definition: Definition, sampler: EnvironmentSampler, now = Date.now()): Alarm {
    const { state, reason } = this.judge(definition, sampler, now);
    const before = this.changed.get(definition.name);
    if (before?.state !== state) this.changed.set(definition.name, { state, at: new Date(now).toISOString() });
    return {
      name: definition.name,
      metric: definition.metric,
      threshold: definition.threshold,
      periodSeconds: definition.periodSeconds,
      evaluationPeriods: definition.evaluationPeriods,
      state,
      reason,
      stateChangedAt: this.changed.get(definition.name)?.at,
      managed: true,
    };
  }

  private judge(
    definition: Definition,
    sampler: EnvironmentSampler,
    now: number,
  ): { state: AlarmState; reason: string } {
    if (definition.metric === 'target5xx') return { state: 'INSUFFICIENT_DATA', reason: 'No 5xx counts locally.' };
    if (!sampler.available) return { state: 'INSUFFICIENT_DATA', reason: 'CPU and memory are sampled on Linux only.' };
    const periodMs = definition.periodSeconds * 1000;
    const values: number[] = [];
    for (let n = definition.evaluationPeriods - 1; n >= 0; n--) {
      const until = now - n * periodMs;
      const value = sampler.average(definition.metric, until - periodMs, until);
      if (value === undefined || until - periodMs < sampler.startedAt - sampler.intervalMs) {
        return {
          state: 'INSUFFICIENT_DATA',
          reason: 'Not enough samples yet: alarms are checked while the window or "slipway serve" runs.',
        };
      }
      values.push(percentOf(definition.metric, value));
    }
    const latest = values.at(-1) ?? 0;
    const shown = `${definition.metric} ${latest.toFixed(1)}%`;
    return values.every((value) => value > definition.threshold)
      ? { state: 'ALARM', reason: `${shown} is above ${definition.threshold}%.` }
      : { state: 'OK', reason: `${shown} (alarm above ${definition.threshold}%).` };
  }
}
