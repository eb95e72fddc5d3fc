// The fix offered under an ECS environment's warnings when its rollouts are not safe: one button, and a
// dialog that says exactly which deployment settings change (and that nothing else does) before it acts.
import { useState } from 'react';
import type { DeploymentSafety } from '../../../shared/contract/index.js';
import type { EnvironmentStatus } from '../../../shared/model.js';
import { useMakeDeploysSafe } from '../../api/hooks.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { ShieldIcon } from '../../components/icons.js';
import { Modal } from '../../components/modal.js';
import { InlineError } from '../../components/states.js';
import { ecsDetailsOf } from './ecs-details-model.js';
import './aws.css';

const breaker = (s: DeploymentSafety): string =>
  s.circuitBreaker.enable ? (s.circuitBreaker.rollback ? 'on, rolls back' : 'on, no rollback') : 'off';

/** What the fix sets; the maximum only grows, so a service allowed to burst wider keeps it. */
function afterFix(s: DeploymentSafety): DeploymentSafety {
  return {
    minimumHealthyPercent: 100,
    maximumPercent: Math.max(200, s.maximumPercent),
    circuitBreaker: { enable: true, rollback: true },
    safe: true,
  };
}

/** "set minimum healthy to 100% and turn on the circuit breaker with rollback": only what changes. */
function fixSentence(now: DeploymentSafety): string {
  const after = afterFix(now);
  const parts: string[] = [];
  if (now.minimumHealthyPercent !== after.minimumHealthyPercent) parts.push('set minimum healthy to 100%');
  if (now.maximumPercent !== after.maximumPercent) parts.push(`raise maximum to ${after.maximumPercent}%`);
  if (!now.circuitBreaker.enable) parts.push('turn on the circuit breaker with rollback');
  else if (!now.circuitBreaker.rollback) parts.push('let the circuit breaker roll back');
  const last = parts.pop() ?? 'apply safe deployment settings';
  return parts.length === 0 ? last : `${parts.join(', ')} and ${last}`;
}

interface Row {
  readonly setting: string;
  readonly now: string;
  readonly after: string;
  readonly why: string;
}

function rows(now: DeploymentSafety): Row[] {
  const after = afterFix(now);
  return [
    {
      setting: 'Minimum healthy',
      now: `${now.minimumHealthyPercent}%`,
      after: `${after.minimumHealthyPercent}%`,
      why: 'Old tasks keep serving until their replacements pass health checks.',
    },
    {
      setting: 'Maximum',
      now: `${now.maximumPercent}%`,
      after: `${after.maximumPercent}%`,
      why: 'Room to start the new tasks next to the old ones.',
    },
    {
      setting: 'Circuit breaker',
      now: breaker(now),
      after: breaker(after),
      why: 'ECS stops a release whose tasks keep failing and returns to the one that was serving.',
    },
  ];
}

function ConfirmDialog({
  pipeline,
  status,
  safety,
  onClose,
}: {
  pipeline: string;
  status: EnvironmentStatus;
  safety: DeploymentSafety;
  onClose: () => void;
}) {
  const fix = useMakeDeploysSafe();
  const environment = status.environment;
  const ecs = ecsDetailsOf(status.details);
  const where =
    ecs?.service && ecs.cluster ? `ECS service ${ecs.service} in cluster ${ecs.cluster}` : 'the ECS service';
  const submit = () => {
    if (fix.isPending) return;
    fix.mutate({ pipeline, environment }, { onSuccess: onClose });
  };
  return (
    <Modal
      title={`Make deploys to ${environment} safe?`}
      description={`Slipway changes the deployment settings of ${where}. The tasks it runs, its task definition and its desired count stay as they are, and no deployment starts; the next deploy uses the new settings.`}
      onClose={onClose}
      onSubmit={submit}
      testId="deploy-safety-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          label="Make deploys safe"
          busyLabel="Changing…"
          busy={fix.isPending}
          autoFocus
        />
      }
    >
      <table className="deploy-safety-table">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Now</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {rows(safety).map((row) => (
            <tr key={row.setting} className={row.now === row.after ? 'is-same' : 'is-changed'}>
              <th scope="row">
                {row.setting}
                <span className="small muted">{row.why}</span>
              </th>
              <td className="mono">{row.now}</td>
              <td className="mono">{row.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <InlineError error={fix.error} title="The settings were not changed" />
    </Modal>
  );
}

/** Nothing when the status has no deployment settings or they are already safe. */
export function DeploySafetyFix({ pipeline, status }: { pipeline: string; status: EnvironmentStatus }) {
  const [confirming, setConfirming] = useState(false);
  const safety = ecsDetailsOf(status.details)?.deploymentSafety;
  if (!safety || safety.safe) return null;
  const environment = status.environment;
  return (
    <li className="alert alert-warning deploy-safety-fix" data-testid={`env-${environment}-deploy-safety`}>
      <ShieldIcon size={14} style={{ color: 'var(--warning)', flex: 'none', marginTop: 2 }} />
      <div className="alert-body">
        <span>Slipway can {fixSentence(safety)} for you.</span>
        <div>
          <button type="button" className="btn btn-sm" onClick={() => setConfirming(true)}>
            Make deploys safe
          </button>
        </div>
      </div>
      {confirming ? (
        <ConfirmDialog pipeline={pipeline} status={status} safety={safety} onClose={() => setConfirming(false)} />
      ) : null}
    </li>
  );
}
