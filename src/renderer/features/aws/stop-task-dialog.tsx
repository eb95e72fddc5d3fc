// Stop one ECS task, with an optional reason ECS keeps on the task; the service starts a replacement.
import { useId, useState } from 'react';
import { procedures } from '../../../shared/contract/index.js';
import { useKillInstance } from '../../api/hooks.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';
import { shortTaskId } from './ecs-details-model.js';

const reasonSchema = procedures['instances.kill'].input.shape.reason;

export function StopTaskDialog({
  pipeline,
  environment,
  task,
  desired,
  onClose,
}: {
  pipeline: string;
  environment: string;
  task: string;
  desired: number;
  onClose: () => void;
}) {
  const kill = useKillInstance();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const parsed = reasonSchema.safeParse(reason);
  const problem = parsed.success ? undefined : 'Keep the reason under 200 characters.';

  const submit = () => {
    if (problem || kill.isPending) return;
    const trimmed = reason.trim();
    kill.mutate(
      { pipeline, environment, instance: task, ...(trimmed === '' ? {} : { reason: trimmed }) },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal
      title={`Stop task ${shortTaskId(task)}?`}
      description={`ECS stops this task in ${environment} and the service starts a replacement to keep ${desired} ${desired === 1 ? 'task' : 'tasks'} running.`}
      onClose={onClose}
      onSubmit={submit}
      testId="stop-task-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={kill.isPending}>
            {kill.isPending ? 'Stopping…' : 'Stop task'}
          </button>
        </>
      }
    >
      <p className="small muted">
        Task <span className="mono">{task}</span>
      </p>
      <div className="field">
        <label className="field-label" htmlFor={reasonId}>
          Reason (optional)
        </label>
        <input
          id={reasonId}
          className="input"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${reasonId}-hint`}
          placeholder="e.g. stuck on a bad connection pool"
          data-autofocus
        />
        <span className={problem ? 'field-error' : 'field-hint'} id={`${reasonId}-hint`}>
          {problem ?? "ECS records it as the task's stopped reason."}
        </span>
      </div>
      <InlineError error={kill.error} title="The task was not stopped" />
    </Modal>
  );
}
