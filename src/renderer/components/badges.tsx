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
export function Actor({ user, email }: { user: string; email?: string | undefined }) {
  return <span title={email ? `${user} <${email}>` : user}>{user}</span>;
}

export const shortSha = (sha: string | undefined): string | undefined => sha?.slice(0, 7);
