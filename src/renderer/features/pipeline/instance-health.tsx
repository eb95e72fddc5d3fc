// One dot per instance, coloured by state, with the counts in words for people who do not see colour.
import type { Instance } from '../../../shared/model.js';
import { OpenShellButton } from '../terminal/open-shell-button.js';
import { shortInstance } from '../terminal/terminal-store.js';

export function InstanceHealth({
  environment,
  instances,
  shellIn,
}: {
  environment: string;
  instances: readonly Instance[];
  /** Set when the environment offers exec: each running instance gets an "Open shell" button. */
  shellIn?: { pipeline: string };
}) {
  const live = instances.filter((i) => i.state !== 'stopped');
  const healthy = live.filter((i) => i.state === 'healthy').length;
  const summary = live.length === 0 ? 'No instances running' : `${healthy} of ${live.length} healthy`;
  const tone = live.length === 0 ? 'faint' : healthy === live.length ? 'ok' : 'warn';
  return (
    <div className="health" data-testid={`env-${environment}-health`}>
      <div className="health-summary">
        <span className="eyebrow">Instances</span>
        <span className={`health-count health-${tone}`}>{summary}</span>
      </div>
      {instances.length > 0 ? (
        <ul className="dots" aria-label={`Instances of ${environment}`}>
          {instances.map((instance) => {
            const label = [
              instance.id,
              instance.state,
              instance.releaseVersion ? `v${instance.releaseVersion}` : undefined,
              instance.address,
              instance.detail,
            ]
              .filter(Boolean)
              .join(' · ');
            return (
              <li key={instance.id} title={label} aria-label={label} data-state={instance.state}>
                <span className={`dot dot-${instance.state}`} />
              </li>
            );
          })}
        </ul>
      ) : null}
      {shellIn && live.length > 0 ? (
        <ul className="instance-shells" aria-label={`Shells in the instances of ${environment}`}>
          {live.map((instance) => (
            <li key={instance.id}>
              <span className="mono small muted" title={instance.id}>
                {shortInstance(instance.id)}
              </span>
              <OpenShellButton
                pipeline={shellIn.pipeline}
                environment={environment}
                instance={instance.id}
                label="Shell"
              />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
