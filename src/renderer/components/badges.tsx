// Small labels with one meaning each, used wherever releases and deployments appear.
import type { Release, ReleaseKind } from '../../shared/model.js';
import { ShieldIcon } from './icons.js';

export function ReleaseStatusBadge({ status }: { status: Release['status'] }) {
  const variant = status === 'succeeded' ? 'success' : status === 'failed' ? 'danger' : 'warning';
  return <span className={`badge badge-${variant}`}>{status}</span>;
}

const kindLabel: Record<ReleaseKind, string> = {
  deploy: 'deploy',
  promote: 'promote',
  rollback: 'rollback',
  config: 'config',
  external: 'external',
};

export function KindBadge({ kind }: { kind: ReleaseKind }) {
  return kind === 'external' ? (
    <span className="badge badge-info" title="Registered outside Slipway (another tool or the AWS console)">
      {kindLabel[kind]}
    </span>
  ) : (
    <span className="badge">{kindLabel[kind]}</span>
  );
}

export function NoRollbackBadge({ reason }: { reason: string }) {
  return (
    <span className="badge badge-warning" title={`No rollback: ${reason}`}>
      <ShieldIcon size={12} />
      no-rollback
    </span>
  );
}

/** The user's name, with the email on hover; the activity feed spells both out. */
export function Actor({
  user,
  email,
  cloud,
}: {
  user: string;
  email?: string | undefined;
  cloud?: { account: string; arn: string } | undefined;
}) {
  return (
    <>
      <span title={email ? `${user} <${email}>` : user}>{user}</span>
      {cloud ? <CloudIdentity cloud={cloud} /> : null}
    </>
  );
}

/** The cloud identity the calls were made as, beside the person: "(user/moto · 123456789012)", full ARN on hover. */
export function CloudIdentity({ cloud }: { cloud: { account: string; arn: string } }) {
  // arn:aws:sts::ACCOUNT:RESOURCE — the resource names the user or the assumed role and session.
  const resource = cloud.arn.split(':').slice(5).join(':') || cloud.arn;
  return (
    <span className="faint small" title={cloud.arn} data-testid="cloud-identity" data-arn={cloud.arn}>
      {' '}
      ({resource} · {cloud.account})
    </span>
  );
}

export const shortSha = (sha: string | undefined): string | undefined => sha?.slice(0, 7);
