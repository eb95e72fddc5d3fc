// One dot per instance, coloured by state, with the counts in words for people who do not see colour.
import type { Instance } from '../../../shared/model.js';

export function InstanceHealth({ environment, instances }: { environment: string; instances: readonly Instance[] }) {
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
    </div>
  );
}
