// "Guard deploys": the alarms picked in the alarms panel watch every rollout of the environment, and a
// rollout is rolled back when one of them fires (ECS deployment alarms). A dialog says so before it acts.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../api/context.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';

interface GuardDeploysProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly selected: readonly string[];
}

export function GuardDeploys({ pipeline, environment, selected }: GuardDeploysProps) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const guard = useMutation({
    mutationFn: () => client.call('alarms.guardDeploys', { pipeline, environment, alarms: [...selected] }),
    onSuccess: () => setConfirming(false),
  });
  const result = guard.data;
  return (
    <div className="alarm-guard">
      <button
        type="button"
        className="btn btn-sm"
        disabled={selected.length === 0}
        onClick={() => {
          guard.reset();
          setConfirming(true);
        }}
      >
        Guard deploys with {selected.length === 1 ? 'this alarm' : `these ${selected.length} alarms`}…
      </button>
      {selected.length === 0 ? (
        <span className="small muted">Tick the alarms that should stop a bad rollout.</span>
      ) : null}
      {result ? (
        <span role="status" data-testid="guard-deploys-result">
          {result.changed ? 'Rollouts' : 'Already: rollouts'} of {environment} are watched by {result.alarms.join(', ')}
          {result.rollback ? ' and roll back when one fires' : ''}.
        </span>
      ) : null}
      {confirming ? (
        <Modal
          title={`Guard deploys to ${environment} with alarms?`}
          description={`While a rollout of ${pipeline}/${environment} runs, ECS watches these alarms; when one goes to ALARM it stops the rollout and rolls back to the release that was serving. Alarms already watching stay. Recorded in the activity feed.`}
          onClose={() => setConfirming(false)}
          onSubmit={() => {
            if (!guard.isPending) guard.mutate();
          }}
          testId="guard-deploys-dialog"
          footer={
            <DialogButtons
              onCancel={() => setConfirming(false)}
              label="Guard deploys"
              busyLabel="Attaching…"
              busy={guard.isPending}
              autoFocus
            />
          }
        >
          <ul>
            {selected.map((name) => (
              <li key={name} className="mono">
                {name}
              </li>
            ))}
          </ul>
          <InlineError error={guard.error} title="Rollouts were not changed" />
        </Modal>
      ) : null}
    </div>
  );
}
