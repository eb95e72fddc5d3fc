// A local environment's settings: how many instances, how they are health-checked, and how they are
// stopped. Saved in the workspace; what runs now keeps running until the next deploy.
import { useId, useState } from 'react';
import type { z } from 'zod';
import {
  environmentSettingFields as fields,
  STOP_SIGNALS,
  type ConfigureEnvironmentInput,
} from '../../../shared/contract/index.js';
import type { LocalTarget, StopSignal } from '../../../shared/model.js';
import { useConfigureEnvironment, useEnvironment } from '../../api/hooks.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { InlineError, SkeletonLines } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
import './environment-settings.css';

interface DialogProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly onClose: () => void;
}

const APPLIES = 'Applies from the next deploy; the instances running now keep their settings until then.';

export function EnvironmentSettingsDialog({ pipeline, environment, onClose }: DialogProps) {
  const current = useEnvironment(pipeline, environment);
  const target = current.data?.target;
  if (target?.provider === 'local') {
    return <SettingsForm pipeline={pipeline} environment={environment} onClose={onClose} target={target} />;
  }
  return (
    <Modal title={`Settings of ${environment}`} onClose={onClose} testId="environment-settings-dialog">
      {current.isPending ? (
        <SkeletonLines lines={4} label="Loading the settings" />
      ) : target ? (
        <p className="small muted">
          {environment} runs on AWS ECS: its desired count, health check and stop timeout are the ECS service’s own
          settings.
        </p>
      ) : (
        <InlineError error={current.error} title="Could not load the settings" />
      )}
    </Modal>
  );
}

/** What a number field holds: NaN for an empty or unreadable entry, which the field's rule then refuses. */
const numberOf = (text: string): number => (text.trim() === '' ? NaN : Number(text));

/** The contract's own rule for one field, so the form refuses exactly what the server would. */
function problemOf(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : `${parsed.error.issues[0]?.message ?? 'Not valid'}.`;
}

function SettingsForm({ pipeline, environment, onClose, target }: DialogProps & { target: LocalTarget }) {
  const configure = useConfigureEnvironment();
  const signalId = useId();
  const [instances, setInstances] = useState(String(target.instances));
  const [path, setPath] = useState(target.healthCheck.path);
  const [intervalMs, setIntervalMs] = useState(String(target.healthCheck.intervalMs));
  const [timeoutMs, setTimeoutMs] = useState(String(target.healthCheck.timeoutMs));
  const [retries, setRetries] = useState(String(target.healthCheck.retries));
  const [stopSignal, setStopSignal] = useState<StopSignal>(target.stopSignal);
  const [graceMs, setGraceMs] = useState(String(target.graceMs));

  const values = {
    instances: numberOf(instances),
    path: path.trim(),
    intervalMs: numberOf(intervalMs),
    timeoutMs: numberOf(timeoutMs),
    retries: numberOf(retries),
    graceMs: numberOf(graceMs),
  };
  const problems = {
    instances: problemOf(fields.instances, values.instances),
    path: problemOf(fields.healthPath, values.path),
    intervalMs: problemOf(fields.intervalMs, values.intervalMs),
    timeoutMs: problemOf(fields.timeoutMs, values.timeoutMs),
    retries: problemOf(fields.retries, values.retries),
    graceMs: problemOf(fields.graceMs, values.graceMs),
  };
  const invalid = Object.values(problems).some((p) => p !== undefined);

  const submit = () => {
    if (invalid || configure.isPending) return;
    // Only what this person changed is sent, so a teammate's change to another setting is kept.
    const check = target.healthCheck;
    const healthCheck = {
      ...(values.path !== check.path ? { path: values.path } : {}),
      ...(values.intervalMs !== check.intervalMs ? { intervalMs: values.intervalMs } : {}),
      ...(values.timeoutMs !== check.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
      ...(values.retries !== check.retries ? { retries: values.retries } : {}),
    };
    const changes: Omit<ConfigureEnvironmentInput, 'pipeline' | 'environment'> = {
      ...(values.instances !== target.instances ? { instances: values.instances } : {}),
      ...(Object.keys(healthCheck).length > 0 ? { healthCheck } : {}),
      ...(stopSignal !== target.stopSignal ? { stopSignal } : {}),
      ...(values.graceMs !== target.graceMs ? { graceMs: values.graceMs } : {}),
    };
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    configure.mutate({ pipeline, environment, ...changes }, { onSuccess: onClose });
  };

  const number = { type: 'number', inputMode: 'numeric', step: 1 } as const;
  return (
    <Modal
      title={`Settings of ${environment}`}
      description={APPLIES}
      onClose={onClose}
      onSubmit={submit}
      testId="environment-settings-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          label="Save settings"
          busyLabel="Saving…"
          busy={configure.isPending}
          disabled={invalid}
        />
      }
    >
      <TextField
        label="Instances"
        value={instances}
        onChange={setInstances}
        problem={problems.instances}
        hint="How many copies of the web process run behind the proxy (1–16)."
        min={1}
        max={16}
        data-autofocus
        {...number}
      />
      <fieldset className="settings-group">
        <legend className="field-label">Health check</legend>
        <TextField
          label="Path"
          mono
          value={path}
          onChange={setPath}
          problem={problems.path}
          hint="New instances must answer GET on this path with a 2xx or 3xx before they get traffic."
          autoComplete="off"
          spellCheck={false}
          maxLength={1_024}
        />
        <div className="settings-row">
          <TextField
            label="Interval (ms)"
            value={intervalMs}
            onChange={setIntervalMs}
            problem={problems.intervalMs}
            min={50}
            max={60_000}
            {...number}
          />
          <TextField
            label="Timeout (ms)"
            value={timeoutMs}
            onChange={setTimeoutMs}
            problem={problems.timeoutMs}
            min={50}
            max={60_000}
            {...number}
          />
          <TextField
            label="Retries"
            value={retries}
            onChange={setRetries}
            problem={problems.retries}
            min={1}
            max={100}
            {...number}
          />
        </div>
      </fieldset>
      <div className="settings-row">
        <div className="field">
          <label className="field-label" htmlFor={signalId}>
            Stop signal
          </label>
          <select
            id={signalId}
            className="select"
            value={stopSignal}
            onChange={(e) => setStopSignal(e.target.value as StopSignal)}
            aria-describedby={`${signalId}-hint`}
          >
            {STOP_SIGNALS.map((signal) => (
              <option key={signal} value={signal}>
                {signal}
              </option>
            ))}
          </select>
          <span className="field-hint" id={`${signalId}-hint`}>
            Sent to old instances once the new ones serve.
          </span>
        </div>
        <TextField
          label="Grace period (ms)"
          value={graceMs}
          onChange={setGraceMs}
          problem={problems.graceMs}
          hint="Time to finish before SIGKILL."
          min={0}
          max={300_000}
          {...number}
        />
      </div>
      <InlineError error={configure.error} title="The settings were not saved" />
    </Modal>
  );
}
