// Stop one ECS task, with an optional reason ECS keeps on the task; the service starts a replacement.
import { useState } from 'react';
import { procedures } from '../../../shared/contract/index.js';
import { useKillInstance } from '../../api/hooks.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
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
      footer={<DialogButtons onCancel={onClose} label="Stop task" busyLabel="Stopping…" busy={kill.isPending} danger />}
    >
      <p className="small muted">
        Task <span className="mono">{task}</span>
      </p>
      <TextField
        label="Reason (optional)"
        value={reason}
        onChange={setReason}
        problem={problem}
        hint="ECS records it as the task's stopped reason."
        placeholder="e.g. stuck on a bad connection pool"
        data-autofocus
      />
      <InlineError error={kill.error} title="The task was not stopped" />
    </Modal>
  );
}
