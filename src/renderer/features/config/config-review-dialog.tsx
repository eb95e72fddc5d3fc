// The last look before a config change ships: what is added, changed and removed. Secrets stay hidden.
import { useState } from 'react';
import { isAppError } from '../../../shared/errors.js';
import { useConfigSet, useConfigUnset, useDeploymentStarted } from '../../api/hooks.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';
import { describeChange, type ConfigPlan } from '../../lib/config-diff.js';

const sign = { added: '+', changed: '~', removed: '−' } as const;

export function ConfigReviewDialog({
  pipeline,
  environment,
  plan,
  baseVersion,
  onClose,
  onApplied,
  onReload,
}: {
  pipeline: string;
  environment: string;
  plan: ConfigPlan;
  /** The release whose config was edited: a key changed since then is never overwritten (CONFLICT). */
  baseVersion: number | undefined;
  onClose: () => void;
  onApplied: () => void;
  /** Drop the edits and start again from the config as it is now. */
  onReload: () => void;
}) {
  const set = useConfigSet();
  const unset = useConfigUnset();
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // The change is applied once its release is queued; the deploy itself is followed on the pipeline page.
  const started = useDeploymentStarted(pipeline, environment, onApplied);
  const releases = (plan.sets.length > 0 ? 1 : 0) + (plan.unsets.length > 0 ? 1 : 0);

  const apply = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    started.arm();
    try {
      const base = baseVersion === undefined ? {} : { baseVersion };
      if (plan.sets.length > 0) await set.mutateAsync({ pipeline, environment, vars: plan.sets, ...base });
      if (plan.unsets.length > 0) await unset.mutateAsync({ pipeline, environment, keys: plan.unsets, ...base });
      onApplied();
    } catch (e) {
      started.disarm();
      setError(e instanceof Error ? e : new Error('The change was not applied.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Review config changes for ${environment}`}
      description={
        releases > 1
          ? `Applying makes two releases of ${environment} (one to set, one to remove) and deploys them in order.`
          : `Applying makes a new release of ${environment} and deploys it.`
      }
      onClose={onClose}
      onSubmit={() => void apply()}
      testId="config-review-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          cancelLabel="Keep editing"
          label="Apply and deploy"
          busyLabel="Applying…"
          busy={busy}
          autoFocus
        />
      }
    >
      <ul className="change-list" aria-label="Changes">
        {plan.changes.map((change) => (
          <li key={`${change.type}-${change.key}`} className={`change change-${change.type}`}>
            <span className="change-sign" aria-hidden="true">
              {sign[change.type]}
            </span>
            <span className="mono">{describeChange(change)}</span>
          </li>
        ))}
      </ul>
      {set.isSuccess && unset.isError ? (
        <p className="small muted">
          The new values were applied; removing keys failed. Close this and retry to remove them.
        </p>
      ) : null}
      <InlineError error={error} title="The change was not applied" />
      {isAppError(error) && error.code === 'CONFLICT' ? (
        <button type="button" className="btn btn-sm" onClick={onReload}>
          Discard my edits and reload the config
        </button>
      ) : null}
    </Modal>
  );
}
