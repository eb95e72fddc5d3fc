// The environment's alarms with their state, a form to add one, a button to delete one and, where the
// provider can, the picked alarms set to guard every rollout.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AlarmMetric } from '../../../shared/model.js';
import { useClient } from '../../api/context.js';
import { useProcedure, usePipelineStatus } from '../../api/hooks.js';
import { queryPrefix } from '../../api/query-keys.js';
import { GuardDeploys } from './guard-deploys.js';

const STATE_CLASS = { OK: 'badge-success', ALARM: 'badge-danger', INSUFFICIENT_DATA: '' } as const;
const LABEL: Record<AlarmMetric, string> = { cpu: 'CPU %', memory: 'Memory %', target5xx: 'Target 5xx' };

export function AlarmsPanel({ pipeline, environment }: { pipeline: string; environment: string }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const alarms = useProcedure('alarms.list', { pipeline, environment }, { refetchInterval: 5_000 });
  const [metric, setMetric] = useState<AlarmMetric>('memory');
  const [threshold, setThreshold] = useState('80');
  const [period, setPeriod] = useState('60');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const status = usePipelineStatus(pipeline);
  const canGuard =
    status.data?.environments
      .find((env) => env.environment === environment)
      ?.capabilities.includes('alarms.guardDeploys') ?? false;
  const toggle = (name: string): void =>
    setPicked((before) => {
      const next = new Set(before);
      if (!next.delete(name)) next.add(name);
      return next;
    });
  // Only alarms still listed can be picked.
  const selected = (alarms.data ?? []).map((alarm) => alarm.name).filter((name) => picked.has(name));
  const refresh = (): void =>
    void queryClient.invalidateQueries({ queryKey: queryPrefix('alarms.list', { pipeline }) });
  const create = useMutation({
    mutationFn: () =>
      client.call('alarms.create', {
        pipeline,
        environment,
        metric,
        threshold: Number(threshold),
        periodSeconds: Number(period),
      }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (name: string) => client.call('alarms.delete', { pipeline, environment, name }),
    onSuccess: refresh,
  });

  return (
    <section className="card alarms-panel" aria-labelledby="alarms-title" data-testid="alarms-panel">
      <h2 id="alarms-title">Alarms</h2>
      {alarms.isError ? <p className="alert alert-danger">{alarms.error.message}</p> : null}
      {alarms.data && alarms.data.length === 0 ? <p>No alarms yet.</p> : null}
      <ul className="alarm-list">
        {alarms.data?.map((alarm) => (
          <li key={alarm.name} data-testid="alarm" data-state={alarm.state}>
            {canGuard ? (
              <input
                type="checkbox"
                checked={picked.has(alarm.name)}
                onChange={() => toggle(alarm.name)}
                aria-label={`Guard deploys with ${alarm.name}`}
              />
            ) : null}{' '}
            <span className={`badge ${STATE_CLASS[alarm.state]}`}>{alarm.state.replace('_', ' ')}</span>{' '}
            <strong>{alarm.name}</strong> — {alarm.metric === 'other' ? 'other' : LABEL[alarm.metric]} above{' '}
            {alarm.threshold} for {alarm.evaluationPeriods > 1 ? `${alarm.evaluationPeriods} × ` : ''}
            {alarm.periodSeconds} s{alarm.reason ? <span className="alarm-reason"> · {alarm.reason}</span> : null}{' '}
            {alarm.managed ? (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Delete alarm ${alarm.name}`}
                onClick={() => remove.mutate(alarm.name)}
              >
                Delete
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canGuard && alarms.data && alarms.data.length > 0 ? (
        <GuardDeploys pipeline={pipeline} environment={environment} selected={selected} />
      ) : null}
      <form
        className="alarm-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label>
          Metric{' '}
          <select className="input" value={metric} onChange={(e) => setMetric(e.target.value as AlarmMetric)}>
            <option value="cpu">CPU %</option>
            <option value="memory">Memory %</option>
            <option value="target5xx">Target 5xx</option>
          </select>
        </label>
        <label>
          Above{' '}
          <input
            className="input"
            inputMode="decimal"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-label="Threshold"
            size={6}
          />
        </label>
        <label>
          For (seconds){' '}
          <input
            className="input"
            inputMode="numeric"
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            aria-label="Period in seconds"
            size={5}
          />
        </label>
        <button type="submit" className="btn btn-sm" disabled={create.isPending}>
          Add alarm
        </button>
        {create.isError ? (
          <span className="alert alert-danger" role="alert">
            {create.error.message}
          </span>
        ) : null}
      </form>
    </section>
  );
}
