// "Open shell": a new tab in the terminal dock for an environment (a healthy instance) or one instance.
import { TerminalIcon } from '../../components/icons.js';
import { terminalDock } from './terminal-store.js';

export function OpenShellButton({
  pipeline,
  environment,
  instance,
  label = 'Open shell',
}: {
  pipeline: string;
  environment: string;
  instance?: string;
  label?: string;
}) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      title={instance ? `Open a shell in ${instance}` : `Open a shell in a healthy instance of ${environment}`}
      data-testid={instance ? `shell-${instance}` : `env-${environment}-shell`}
      onClick={() => terminalDock.open({ pipeline, environment, ...(instance ? { instance } : {}) })}
    >
      <TerminalIcon size={14} />
      {label}
    </button>
  );
}
