// Shown in a terminal tab when the environment has exec turned off: one click turns it on (with a new
// deployment, recorded in the activity feed), then the person opens the shell again.
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/context.js';

export function EnableExecFix({ pipeline, environment }: { pipeline: string; environment: string }) {
  const client = useClient();
  const enable = useMutation({ mutationFn: () => client.call('environments.enableExec', { pipeline, environment }) });
  return (
    <div className="terminal-fix" role="status">
      {enable.isSuccess ? (
        <span>Exec is on. A new deployment is starting; open the shell again once its instances are healthy.</span>
      ) : (
        <>
          <span>Exec is off for {environment}.</span>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={enable.isPending}
            onClick={() => enable.mutate()}
          >
            {enable.isPending ? 'Enabling…' : 'Enable exec'}
          </button>
          <span className="faint small">Turns on ECS Exec and starts a new deployment.</span>
          {enable.isError ? <span className="terminal-fix-error">{enable.error.message}</span> : null}
        </>
      )}
    </div>
  );
}
