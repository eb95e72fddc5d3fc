// Mark a release so nothing rolls back across it without a typed reason.
import { useState } from 'react';
import type { ReleaseListItem } from '../../../shared/contract/releases.js';
import { useMarkNoRollback } from '../../api/hooks.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { ReasonField, reasonProblem } from '../../components/reason-field.js';
import { InlineError } from '../../components/states.js';

export function MarkNoRollbackDialog({
  pipeline,
  environment,
  release,
  onClose,
}: {
  pipeline: string;
  environment: string;
  release: ReleaseListItem;
  onClose: () => void;
}) {
  const mark = useMarkNoRollback();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const submit = () => {
    setTried(true);
    if (reasonProblem(reason) || mark.isPending) return;
    mark.mutate({ pipeline, environment, version: release.version, reason: reason.trim() }, { onSuccess: onClose });
  };
  return (
    <Modal
      title={`Mark v${release.version} no-rollback`}
      description={`Rollbacks of ${environment} to a release before v${release.version} will then need a typed override reason.`}
      onClose={onClose}
      onSubmit={submit}
      testId="mark-no-rollback-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          label={`Mark v${release.version} no-rollback`}
          busyLabel="Marking…"
          busy={mark.isPending}
        />
      }
    >
      <ReasonField
        label="Reason"
        value={reason}
        onChange={setReason}
        showProblem={tried}
        autoFocus
        hint="For example: migration 0042 drops the legacy orders table."
      />
      <InlineError error={mark.error} title="Could not mark the release" />
    </Modal>
  );
}
