// The offer shown when an environment's provider has per-instance metrics off and can turn them on at a
// cost (Container Insights on ECS): one button, and a dialog that states the cost before anything changes.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MetricsResult } from '../../../shared/contract/index.js';
import { useClient } from '../../api/context.js';
import { queryPrefix } from '../../api/query-keys.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';

interface DetailedOfferProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly offer: NonNullable<MetricsResult['detailedOffer']>;
}

export function DetailedOffer({ pipeline, environment, offer }: DetailedOfferProps) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const enable = useMutation({
    mutationFn: () => client.call('metrics.enableDetailed', { pipeline, environment }),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: queryPrefix('metrics.get', { pipeline }) });
    },
  });
  if (enable.isSuccess) {
    return (
      <p className="alert alert-success" role="status" data-testid="detailed-offer-done">
        Per-instance metrics are on for {environment}. Their graphs fill in as new samples arrive, within a few minutes.
      </p>
    );
  }
  return (
    <div className="metrics-offer" data-testid="detailed-offer">
      <button type="button" className="btn btn-sm" onClick={() => setConfirming(true)}>
        Turn on per-instance metrics ({offer.what})…
      </button>
      {confirming ? (
        <Modal
          title={`Turn on ${offer.what} for ${environment}?`}
          description={`Each instance of ${pipeline}/${environment} then gets its own CPU and memory lines. It is one setting, recorded in the activity feed.`}
          onClose={() => setConfirming(false)}
          onSubmit={() => {
            if (!enable.isPending) enable.mutate();
          }}
          testId="detailed-offer-dialog"
          footer={
            <DialogButtons
              onCancel={() => setConfirming(false)}
              label={`Turn on ${offer.what}`}
              busyLabel="Turning on…"
              busy={enable.isPending}
              autoFocus
            />
          }
        >
          <p data-testid="detailed-offer-cost">
            <strong>What it costs:</strong> {offer.cost}
          </p>
          <InlineError error={enable.error} title="Nothing was turned on" />
        </Modal>
      ) : null}
    </div>
  );
}
