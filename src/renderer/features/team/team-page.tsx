// `#/team`: join a team's workspace in S3 (or leave it), see who is deploying where and who waits,
// and whether activity is waiting to upload.
import { useState, type FormEvent } from 'react';
import type { EnvironmentLease, TeamStatus } from '../../../shared/contract/team.js';
import { usePipelines, useTeamChange, useTeamStatus } from '../../api/hooks.js';
import { routeHref } from '../../lib/route.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { RelativeTime } from '../../components/relative-time.js';
import { InlineError } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
import { notificationsWanted, setNotificationsWanted } from './desktop-notify.js';

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

function JoinForm() {
  const [url, setUrl] = useState('');
  const [region, setRegion] = useState('');
  const [profile, setProfile] = useState('');
  const [tried, setTried] = useState(false);
  const change = useTeamChange();
  const match = S3_URL.exec(url.trim());
  const urlProblem = match ? undefined : 'Give the place as s3://BUCKET/PREFIX, e.g. s3://acme-ops/slipway.';
  const regionProblem = /^[a-z]{2}(-[a-z]+)+-\d$/.test(region.trim()) ? undefined : 'An AWS region such as eu-west-1.';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!match || regionProblem) return;
    const prefix = match[2]?.replace(/\/+$/, '');
    change.mutate(
      {
        action: 'join',
        location: {
          bucket: match[1]!,
          ...(prefix ? { prefix } : {}),
          region: region.trim(),
          ...(profile.trim() ? { profile: profile.trim() } : {}),
        },
      },
      // Every list in the window changes: open it afresh on the team's workspace.
      { onSuccess: () => window.location.reload() },
    );
  };

  return (
    <form className="card-body team-join" onSubmit={submit} noValidate data-testid="team-join-form">
      <h2>Join a team workspace</h2>
      <p className="muted small">
        Pipelines, environment settings, the activity feed and deploy leases are kept in your team&apos;s S3 bucket;
        nobody else&apos;s server is involved. Slipway reads it before saving anything, so a wrong bucket or a missing
        permission is refused here.
      </p>
      <TextField
        label="Bucket and prefix"
        value={url}
        onChange={setUrl}
        placeholder="s3://acme-ops/slipway"
        mono
        autoFocus
        problem={tried ? urlProblem : undefined}
        hint="Everyone on the team uses the same place."
      />
      <TextField
        label="Region"
        value={region}
        onChange={setRegion}
        placeholder="eu-west-1"
        mono
        problem={tried ? regionProblem : undefined}
      />
      <TextField
        label="AWS profile (optional)"
        value={profile}
        onChange={setProfile}
        placeholder="default credential chain"
        mono
      />
      <InlineError error={change.error} title="Could not join" />
      <div className="dialog-buttons">
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {change.isPending ? 'Checking the bucket…' : 'Join'}
        </button>
      </div>
    </form>
  );
}

function LeaseRow({ lease }: { lease: EnvironmentLease }) {
  return (
    <li className="lease" data-testid="lease">
      <p>
        <strong>
          {lease.pipeline} / {lease.environment}
        </strong>
        : {lease.holder.actor.user} — {lease.holder.summary}, started <RelativeTime iso={lease.holder.startedAt} />
      </p>
      {lease.waiting.length > 0 ? (
        <ol className="small muted lease-queue" aria-label={`Waiting for ${lease.environment}`}>
          {lease.waiting.map((w) => (
            <li key={w.deploymentId}>
              {w.actor.user}: {w.summary}, waiting since <RelativeTime iso={w.startedAt} />
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function Joined({ status }: { status: TeamStatus }) {
  const change = useTeamChange();
  return (
    <>
      <div className="card-body">
        <p>
          This window uses the team workspace <code data-testid="team-location">{status.description}</code>
          {status.team?.profile ? (
            <>
              {' '}
              with the profile <code>{status.team.profile}</code>
            </>
          ) : null}
          .
        </p>
        <InlineError error={change.error} title="Could not leave" />
        <div className="dialog-buttons">
          <button
            type="button"
            className="btn"
            disabled={change.isPending}
            onClick={() => change.mutate({ action: 'leave' }, { onSuccess: () => window.location.reload() })}
          >
            Leave the team workspace
          </button>
        </div>
      </div>
      <div className="card-body">
        <h2>Deploys in progress</h2>
        {status.leases.length === 0 ? (
          <p className="muted">Nobody on the team is deploying right now.</p>
        ) : (
          <ul className="lease-list" aria-live="polite">
            {status.leases.map((l) => (
              <LeaseRow key={`${l.pipeline}/${l.environment}`} lease={l} />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function Notifications() {
  const [wanted, setWanted] = useState(notificationsWanted());
  if (typeof Notification === 'undefined') return null;
  return (
    <label className="card-body team-notify">
      <input
        type="checkbox"
        checked={wanted}
        onChange={(e) => {
          const on = e.target.checked;
          setNotificationsWanted(on);
          setWanted(on);
          if (on && Notification.permission === 'default') void Notification.requestPermission();
        }}
      />{' '}
      Desktop notification when a teammate changes a production environment (the last one of a pipeline)
    </label>
  );
}

function WebhookLinks() {
  const pipelines = usePipelines();
  if (!pipelines.data?.length) return null;
  return (
    <p className="card-body small">
      Webhooks:{' '}
      {pipelines.data.map((p, i) => (
        <span key={p.name}>
          {i > 0 ? ', ' : ''}
          <a href={routeHref({ page: 'webhooks', pipeline: p.name })}>{p.name}</a>
        </span>
      ))}
    </p>
  );
}

export function TeamPage() {
  const status = useTeamStatus();
  return (
    <div className="page" data-testid="team-page">
      <PageHeader title="Team workspace">
        Share pipelines, settings, activity and deploy turns with your team through an S3 bucket.
      </PageHeader>
      <QueryCard
        query={status}
        loading={{ lines: 4, label: 'Loading the team workspace' }}
        errorTitle="Could not read the team workspace"
      >
        {(value) => (
          <>
            {value.spooled > 0 ? (
              <p className="alert alert-warning" role="status" data-testid="spooled">
                {value.spooled === 1 ? '1 event' : `${value.spooled} events`} waiting to upload: the bucket cannot be
                reached right now. They are kept on this machine and go up, in order, as soon as it answers.
              </p>
            ) : null}
            {value.team ? <Joined status={value} /> : <JoinForm />}
            <Notifications />
            <WebhookLinks />
          </>
        )}
      </QueryCard>
    </div>
  );
}
