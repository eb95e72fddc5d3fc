// `#/pipelines/<p>/webhooks`: a pipeline's webhooks (failing ones marked), adding one (its generated
// secret shown once), and the delivery log with redelivery.
import { useState, type FormEvent } from 'react';
import { webhookEventNames, type WebhookEventName } from '../../../shared/contract/webhooks.js';
import { useWebhookChange, useWebhookDeliveries, useWebhooks } from '../../api/hooks.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { RelativeTime } from '../../components/relative-time.js';
import { InlineError } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';

function AddHook({ pipeline }: { pipeline: string }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [allowPrivate, setAllowPrivate] = useState(false);
  const add = useWebhookChange('webhooks.add');
  const list = events
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = list.filter((e) => e !== '*' && !(webhookEventNames as readonly string[]).includes(e));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (unknown.length > 0 || list.length === 0) return;
    add.mutate({ pipeline, url: url.trim(), events: list as (WebhookEventName | '*')[], allowPrivate });
  };
  return (
    <form className="card-body team-join" onSubmit={submit} data-testid="webhook-add">
      <h2>Add a webhook</h2>
      <TextField label="URL" value={url} onChange={setUrl} placeholder="https://hooks.example.com/slipway" mono />
      <TextField
        label="Events"
        value={events}
        onChange={setEvents}
        mono
        problem={unknown.length > 0 ? `Unknown: ${unknown.join(', ')}` : undefined}
        hint={`Comma-separated, or * for all: ${webhookEventNames.join(', ')}`}
      />
      <label className="small">
        <input type="checkbox" checked={allowPrivate} onChange={(e) => setAllowPrivate(e.target.checked)} /> Allow a
        loopback or private-network address for this hook
      </label>
      <InlineError error={add.error} title="Could not add the webhook" />
      {add.data?.generatedSecret ? (
        <p className="alert alert-warning" role="status" data-testid="webhook-secret">
          Signing secret, shown this once: <code>{add.data.generatedSecret}</code>
        </p>
      ) : null}
      <div className="dialog-buttons">
        <button type="submit" className="btn btn-primary" disabled={add.isPending || !url.trim()}>
          {add.isPending ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}

export function WebhooksPage({ pipeline }: { pipeline: string }) {
  const hooks = useWebhooks(pipeline);
  const deliveries = useWebhookDeliveries(pipeline);
  const remove = useWebhookChange('webhooks.remove');
  const redeliver = useWebhookChange('webhooks.redeliver');
  return (
    <div className="page" data-testid="webhooks-page">
      <PageHeader title={`${pipeline} webhooks`}>
        Signed HTTP calls when something happens in {pipeline}. docs/webhooks.md shows how a receiver verifies them.
      </PageHeader>
      <QueryCard query={hooks} loading={{ lines: 3, label: 'Loading webhooks' }} errorTitle="Could not load webhooks">
        {(list) => (
          <div className="card-body">
            {list.length === 0 ? <p className="muted">No webhooks yet.</p> : null}
            <ul className="lease-list">
              {list.map((h) => (
                <li key={h.id} data-testid="webhook">
                  <code>{h.url}</code> · {h.events.join(', ')}{' '}
                  {h.failingSince ? (
                    <span className="badge badge-danger">failing since {h.failingSince}</span>
                  ) : (
                    <span className="badge badge-success">ok</span>
                  )}{' '}
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    onClick={() => remove.mutate({ pipeline, id: h.id })}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            <InlineError error={remove.error ?? redeliver.error} />
          </div>
        )}
      </QueryCard>
      <div className="card">
        <AddHook pipeline={pipeline} />
      </div>
      <QueryCard
        query={deliveries}
        loading={{ lines: 4, label: 'Loading deliveries' }}
        errorTitle="Could not load deliveries"
      >
        {(list) => (
          <div className="card-body">
            <h2>Deliveries</h2>
            {list.length === 0 ? <p className="muted">Nothing delivered yet.</p> : null}
            <ul className="lease-list">
              {list.map((d) => {
                const last = d.attempts.at(-1);
                return (
                  <li key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                    <strong>{d.type}</strong> → <code>{d.url}</code> · {d.status} · {d.attempts.length} attempt(s)
                    {last ? (
                      <>
                        {' '}
                        · {last.responseCode ? `HTTP ${last.responseCode}` : last.error} ·{' '}
                        <RelativeTime iso={last.at} />
                      </>
                    ) : null}{' '}
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      onClick={() => redeliver.mutate({ delivery: d.id })}
                    >
                      Redeliver
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </QueryCard>
    </div>
  );
}
