// An environment's config: edit, add and remove variables, review exactly what changes, then apply.
import { useMemo, useState } from 'react';
import type { ConfigSnapshot } from '../../../shared/contract/index.js';
import { useConfig, useDeploymentsLive } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { LockIcon, PlusIcon, TrashIcon } from '../../components/icons.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { EmptyState } from '../../components/states.js';
import { planConfigChanges, rowsFromConfig, type ConfigRow } from '../../lib/config-diff.js';
import { routeHref } from '../../lib/route.js';
import { ConfigReviewDialog } from './config-review-dialog.js';

interface ConfigPageProps {
  readonly pipeline: string;
  readonly environment: string;
}

export function ConfigPage({ pipeline, environment }: ConfigPageProps) {
  const config = useConfig(pipeline, environment);
  useDeploymentsLive(pipeline);
  return (
    <div className="page" data-testid="config-page">
      <PageHeader
        title={`${environment} config`}
        actions={
          <div className="page-actions">
            <button type="button" className="btn" onClick={() => navigate({ page: 'pipeline', pipeline })}>
              Back to {pipeline}
            </button>
            <button type="button" className="btn" onClick={() => navigate({ page: 'releases', pipeline, environment })}>
              Releases
            </button>
          </div>
        }
      >
        Environment variables of {pipeline}/{environment}. Applying a change makes a new release and deploys it.
      </PageHeader>
      <QueryCard query={config} loading={{ lines: 5, label: 'Loading config' }} errorTitle="Could not load config">
        {(snapshot) => <ConfigEditor pipeline={pipeline} environment={environment} snapshot={snapshot} />}
      </QueryCard>
    </div>
  );
}

let rowCounter = 0;
const newRow = (): ConfigRow => ({ id: `new:${++rowCounter}`, key: '', value: '', secret: false, removed: false });

function ConfigEditor({ pipeline, environment, snapshot }: ConfigPageProps & { snapshot: ConfigSnapshot }) {
  const vars = snapshot.vars;
  const [rows, setRows] = useState<ConfigRow[]>(() => rowsFromConfig(vars));
  /** The config the rows were made from; a change is based on its release. */
  const [base, setBase] = useState(snapshot);
  const [reviewing, setReviewing] = useState(false);
  const [applied, setApplied] = useState(false);
  /** Set after applying: the next config the server reports replaces the editor's rows. */
  const [awaitingServer, setAwaitingServer] = useState(false);
  const plan = useMemo(() => planConfigChanges(rows), [rows]);
  const hasErrors = Object.keys(plan.errors).length > 0;
  const dirty = plan.changes.length > 0 || hasErrors;

  // While nothing is being edited, follow what the server says (e.g. after a change was applied).
  if (vars !== base.vars && (!dirty || awaitingServer)) {
    setBase(snapshot);
    setRows(rowsFromConfig(vars));
    setAwaitingServer(false);
  }
  const stale = vars !== base.vars && !awaitingServer;

  const update = (id: string, patch: Partial<ConfigRow>) => {
    setApplied(false);
    setRows((prev) => prev.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  };
  const add = () => {
    setApplied(false);
    setRows((prev) => [...prev, newRow()]);
  };
  const remove = (row: ConfigRow) => {
    if (row.original) update(row.id, { removed: true });
    else setRows((prev) => prev.filter((r) => r.id !== row.id));
  };
  const discard = () => {
    setAwaitingServer(false);
    setBase(snapshot);
    setRows(rowsFromConfig(vars));
  };

  return (
    <>
      {stale ? (
        <div className="alert alert-info" style={{ margin: 16 }}>
          <div className="alert-body">
            <span>The config changed since you started editing.</span>
          </div>
          <button type="button" className="btn btn-sm" onClick={discard}>
            Discard my edits and reload
          </button>
        </div>
      ) : null}
      {applied ? (
        <div className="alert alert-info" role="status" style={{ margin: 16 }}>
          <div className="alert-body">
            <span>
              Config change applied. A new release is deploying —{' '}
              <a href={routeHref({ page: 'pipeline', pipeline })}>watch it on the pipeline page</a>.
            </span>
          </div>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState
          title="No config yet"
          action={
            <button type="button" className="btn btn-primary" onClick={add}>
              <PlusIcon size={14} /> Add variable
            </button>
          }
        >
          {environment} runs with no environment variables of its own.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table config-table" aria-label={`${environment} config`}>
            <thead>
              <tr>
                <th scope="col" style={{ width: '32%' }}>
                  Key
                </th>
                <th scope="col">Value</th>
                <th scope="col" style={{ width: 90 }}>
                  Secret
                </th>
                <th scope="col" style={{ width: 110 }}>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <ConfigRowView
                  key={row.id}
                  row={row}
                  error={plan.errors[row.id]}
                  onChange={(p) => update(row.id, p)}
                  onRemove={() => remove(row)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 ? (
        <div className="config-footer">
          <button type="button" className="btn" onClick={add}>
            <PlusIcon size={14} /> Add variable
          </button>
          <span className="header-spacer" />
          {dirty && !awaitingServer ? (
            <button type="button" className="btn btn-ghost" onClick={discard}>
              Discard changes
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            disabled={plan.changes.length === 0 || hasErrors || awaitingServer}
            onClick={() => setReviewing(true)}
          >
            Review changes{plan.changes.length > 0 ? ` (${plan.changes.length})` : ''}
          </button>
        </div>
      ) : null}
      {reviewing ? (
        <ConfigReviewDialog
          pipeline={pipeline}
          environment={environment}
          plan={plan}
          baseVersion={base.version}
          onClose={() => setReviewing(false)}
          onReload={() => {
            setReviewing(false);
            discard();
          }}
          onApplied={() => {
            setReviewing(false);
            setApplied(true);
            setAwaitingServer(true);
          }}
        />
      ) : null}
    </>
  );
}

function ConfigRowView({
  row,
  error,
  onChange,
  onRemove,
}: {
  row: ConfigRow;
  error: string | undefined;
  onChange: (patch: Partial<ConfigRow>) => void;
  onRemove: () => void;
}) {
  const label = row.key || 'new variable';
  const errorId = `${row.id}-error`;
  if (row.removed) {
    return (
      <tr className="config-row is-removed" data-testid={`config-row-${row.key}`}>
        <td>
          <span className="mono config-key">{row.key}</span>
        </td>
        <td colSpan={2} className="faint small">
          Will be removed
        </td>
        <td>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onChange({ removed: false })}
            aria-label={`Keep ${row.key}`}
          >
            Undo
          </button>
        </td>
      </tr>
    );
  }
  const secretUntouched = row.original?.secret === true && row.value === undefined;
  return (
    <tr className="config-row" data-testid={row.original ? `config-row-${row.key}` : undefined}>
      <td>
        {row.original ? (
          <span className="mono config-key">{row.key}</span>
        ) : (
          <input
            className="input mono"
            aria-label="Key"
            placeholder="NEW_KEY"
            value={row.key}
            autoFocus={row.key === '' && row.value === ''}
            onChange={(e) => onChange({ key: e.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            spellCheck={false}
          />
        )}
        {error ? (
          <span className="field-error" id={errorId} role="alert">
            {error.charAt(0).toUpperCase() + error.slice(1)}
          </span>
        ) : null}
      </td>
      <td>
        {secretUntouched ? (
          <div className="secret-value">
            <span className="mono masked" aria-label={`${row.key} is secret`}>
              ••••••
            </span>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange({ value: '' })}>
              Replace value
            </button>
          </div>
        ) : (
          <input
            className="input mono"
            aria-label={`Value of ${label}`}
            type={row.secret ? 'password' : 'text'}
            autoComplete="off"
            spellCheck={false}
            placeholder={row.original?.secret ? 'New secret value' : ''}
            value={row.value ?? ''}
            autoFocus={row.original?.secret === true && row.value === ''}
            onChange={(e) => onChange({ value: e.target.value })}
          />
        )}
      </td>
      <td>
        <label className="checkbox" title="Secret values are never shown again, in the window, logs or activity.">
          <input
            type="checkbox"
            checked={row.secret}
            onChange={(e) => onChange({ secret: e.target.checked })}
            aria-label={`Secret ${label}`}
          />
          <LockIcon size={13} className={row.secret ? undefined : 'faint'} />
        </label>
      </td>
      <td>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onRemove} aria-label={`Remove ${label}`}>
          <TrashIcon size={13} />
          Remove
        </button>
      </td>
    </tr>
  );
}
