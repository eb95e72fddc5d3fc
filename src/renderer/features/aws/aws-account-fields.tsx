// Profile and region, and "Check credentials": who Slipway acts as there (never the credentials).
import { useId, useState } from 'react';
import type { AwsIdentity } from '../../../shared/contract/aws.js';
import type { AppError } from '../../../shared/errors.js';
import { CheckIcon, SpinnerIcon } from '../../components/icons.js';
import { InlineError } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
import { COMMON_REGIONS, isCommonRegion } from './regions.js';

const OTHER = '__other';

interface AwsAccountFieldsProps {
  readonly profile: string;
  readonly region: string;
  readonly onProfileChange: (value: string) => void;
  readonly onRegionChange: (value: string) => void;
  readonly regionProblem: string | undefined;
  readonly onCheck: () => void;
  /** The identity of the profile and region as they are now, once checked. */
  readonly identity: AwsIdentity | undefined;
  readonly checking: boolean;
  readonly error: AppError | null;
  /** Credentials were checked for another profile or region than the one now entered. */
  readonly stale: boolean;
}

export function AwsAccountFields(props: AwsAccountFieldsProps) {
  const { profile, region, onProfileChange, onRegionChange, regionProblem, identity, checking, error, stale } = props;
  const regionId = useId();
  // "Other…" stays chosen while the typed region is empty or happens to be uncommon.
  const [typing, setTyping] = useState(region !== '' && !isCommonRegion(region));
  const selectValue = typing ? OTHER : region;

  return (
    <section className="card card-body new-pipeline-section" aria-labelledby="aws-account-title">
      <div>
        <h2 id="aws-account-title" className="new-pipeline-section-title">
          AWS account
        </h2>
        <p className="small muted">
          Slipway uses your AWS credentials on this computer (profiles, SSO, environment). They never leave it.
        </p>
      </div>
      <div className="new-pipeline-row">
        <TextField
          label={
            <>
              Profile <span className="faint">(optional)</span>
            </>
          }
          mono
          value={profile}
          onChange={onProfileChange}
          placeholder="default credential chain"
          autoComplete="off"
          spellCheck={false}
          maxLength={128}
          hint={
            <>
              A profile from <code>~/.aws/config</code>; empty uses the default chain.
            </>
          }
        />
        <div className="field">
          <label className="field-label" htmlFor={regionId}>
            Region
          </label>
          <select
            id={regionId}
            className="select"
            value={selectValue}
            onChange={(e) => {
              if (e.target.value === OTHER) {
                setTyping(true);
                onRegionChange('');
              } else {
                setTyping(false);
                onRegionChange(e.target.value);
              }
            }}
            aria-invalid={regionProblem && !typing ? true : undefined}
            aria-describedby={regionProblem && !typing ? `${regionId}-problem` : undefined}
          >
            <option value="" disabled>
              Choose a region…
            </option>
            {COMMON_REGIONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} — {r.place}
              </option>
            ))}
            <option value={OTHER}>Other region…</option>
          </select>
          {regionProblem && !typing ? (
            <span className="field-error" id={`${regionId}-problem`}>
              {regionProblem}
            </span>
          ) : null}
        </div>
        {typing ? (
          <TextField
            label="Region name"
            mono
            value={region}
            onChange={(value) => onRegionChange(value.trim())}
            placeholder="e.g. ap-southeast-3"
            autoComplete="off"
            spellCheck={false}
            problem={regionProblem}
          />
        ) : null}
      </div>

      <div className="new-pipeline-check">
        <button type="button" className="btn" onClick={props.onCheck} disabled={checking}>
          {checking ? <SpinnerIcon size={14} /> : null}
          {checking ? 'Checking…' : 'Check credentials'}
        </button>
        <div aria-live="polite" className="new-pipeline-identity">
          {identity ? (
            <p className="small identity-line" data-testid="aws-identity">
              <CheckIcon size={14} style={{ color: 'var(--success)', flex: 'none' }} />
              <span>
                Acting as <span className="mono">{identity.arn}</span> in account{' '}
                <span className="mono" data-testid="aws-account">
                  {identity.account}
                </span>
              </span>
            </p>
          ) : stale ? (
            <p className="small muted">Check credentials again for the profile and region above.</p>
          ) : !error && !checking ? (
            <p className="small muted">Check credentials to list the ECS services you can bind.</p>
          ) : null}
        </div>
      </div>
      <InlineError error={error} title="Slipway could not use these credentials" />
    </section>
  );
}
