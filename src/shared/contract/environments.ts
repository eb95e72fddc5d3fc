// How a local environment runs its instances: count, health check, stop signal and grace period.
// The ranges are the model's own (localTargetSchema), so the contract and the workspace file agree.
import { z } from 'zod';
import { environmentSchema, healthCheckSchema, localTargetSchema, stopSignalSchema } from '../model.js';
import type { HealthCheck, LocalTarget } from '../model.js';
import { procedure } from './define.js';
import { environmentRef } from './pipelines.js';

// Not toLocaleString: the first Intl call loads ICU data, 25 ms of every cold CLI command.
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The model's number schema, its range unchanged, with a message a person can act on. */
function within(model: z.ZodNumber, what: string, unit = ''): z.ZodNumber {
  const min = model.minValue ?? 0;
  const max = model.maxValue ?? Number.MAX_SAFE_INTEGER;
  const message = `${what} is a whole number from ${grouped(min)} to ${grouped(max)}${unit}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const local = localTargetSchema.shape;
const health = healthCheckSchema.shape;
export const STOP_SIGNALS = stopSignalSchema.options;

/** Each setting on its own, so a form or the CLI can check one value before it is sent. */
export const environmentSettingFields = {
  instances: within(local.instances.unwrap(), 'The instance count'),
  // Stricter than the model's "starts with /": a space or control character would break the request
  // line the check sends (percent-encode anything else).
  healthPath: z
    .string({ error: 'The health check path is text, e.g. /healthz' })
    .max(1_024, 'The health check path is at most 1,024 characters')
    .regex(/^\/[\x21-\x7e]*$/, 'The health check path starts with / and has no spaces, e.g. /healthz'),
  intervalMs: within(health.intervalMs.unwrap(), 'The health check interval', ' ms'),
  timeoutMs: within(health.timeoutMs.unwrap(), 'The health check timeout', ' ms'),
  retries: within(health.retries.unwrap(), 'The number of health check retries'),
  stopSignal: z.enum(STOP_SIGNALS, { error: `The stop signal is one of ${STOP_SIGNALS.join(', ')}` }),
  graceMs: within(local.graceMs.unwrap(), 'The grace period', ' ms'),
};

const f = environmentSettingFields;

export const configureEnvironmentInputSchema = environmentRef
  .extend({
    instances: f.instances.optional(),
    /** Only the fields given change; the others keep their saved values. */
    healthCheck: z
      .object({
        path: f.healthPath.optional(),
        intervalMs: f.intervalMs.optional(),
        timeoutMs: f.timeoutMs.optional(),
        retries: f.retries.optional(),
      })
      .optional(),
    stopSignal: f.stopSignal.optional(),
    graceMs: f.graceMs.optional(),
  })
  .refine(
    (input) =>
      input.instances !== undefined ||
      input.stopSignal !== undefined ||
      input.graceMs !== undefined ||
      Object.values(input.healthCheck ?? {}).some((value) => value !== undefined),
    'Give at least one setting to change (instances, health check, stop signal or grace period)',
  );
export type ConfigureEnvironmentInput = z.input<typeof configureEnvironmentInputSchema>;

/** The settings a person can change, as they are saved (defaults filled in). */
export type EnvironmentSettings = Pick<LocalTarget, 'instances' | 'healthCheck' | 'stopSignal' | 'graceMs'>;

/** "instances 2 → 3", "stop signal SIGTERM → SIGQUIT": only what differs, in a fixed order. */
export function settingsChanges(before: EnvironmentSettings, after: EnvironmentSettings): string[] {
  const changes: string[] = [];
  const note = (label: string, from: string | number, to: string | number, unit = ''): void => {
    if (from !== to) changes.push(`${label} ${from}${unit} → ${to}${unit}`);
  };
  note('instances', before.instances, after.instances);
  const check = (key: keyof HealthCheck, label: string, unit = ''): void =>
    note(`health check ${label}`, before.healthCheck[key], after.healthCheck[key], unit);
  check('path', 'path');
  check('intervalMs', 'interval', ' ms');
  check('timeoutMs', 'timeout', ' ms');
  check('retries', 'retries');
  note('stop signal', before.stopSignal, after.stopSignal);
  note('grace period', before.graceMs, after.graceMs, ' ms');
  return changes;
}

export const environmentProcedures = {
  'environments.get': procedure(
    'One environment of a pipeline and where it runs (for the local provider: instances, health check, stop signal, grace period).',
    environmentRef,
    environmentSchema,
  ),
  'environments.configure': procedure(
    "Change a local environment's instance count, health check, stop signal or grace period; they apply from the next deploy.",
    configureEnvironmentInputSchema,
    environmentSchema,
  ),
};
