// What teammates do shows up in every open window within a poll (~5 s): a short notice at the corner,
// and a desktop notification when it changed a production environment (the last of its pipeline).
import { useEffect, useState } from 'react';
import type { AuditEvent } from '../../../shared/model.js';
import { usePipelines } from '../../api/hooks.js';
import { useClient } from '../../api/context.js';
import { activitySentence } from '../activity/activity-sentence.js';
import { notifyDesktop } from './desktop-notify.js';

const SHOW_MS = 8_000;

export function TeammateNotices({ me }: { me: string | undefined }) {
  const client = useClient();
  const pipelines = usePipelines();
  const [notices, setNotices] = useState<AuditEvent[]>([]);
  const lastEnvironment = new Map(pipelines.data?.map((p) => [p.name, p.environments.at(-1)?.name]) ?? []);

  useEffect(() => {
    if (!me) return undefined;
    return client.subscribe('activity.watch', {}, (event) => {
      if (event.actor.user === me) return;
      setNotices((list) => [...list.filter((e) => e.id !== event.id), event].slice(-3));
      setTimeout(() => setNotices((list) => list.filter((e) => e.id !== event.id)), SHOW_MS);
    });
  }, [client, me]);

  useEffect(() => {
    const latest = notices.at(-1);
    if (
      latest &&
      latest.environment &&
      latestIsNew(latest) &&
      lastEnvironment.get(latest.pipeline) === latest.environment
    ) {
      notifyDesktop(`Slipway: ${latest.pipeline} / ${latest.environment}`, activitySentence(latest));
    }
  });

  if (notices.length === 0) return null;
  return (
    <div className="teammate-notices" role="status" aria-live="polite" data-testid="teammate-notices">
      {notices.map((event) => (
        <p key={event.id} className="teammate-notice">
          {activitySentence(event)}
        </p>
      ))}
    </div>
  );
}

const notified = new Set<string>();
/** True once per event, so a re-render never notifies twice. */
function latestIsNew(event: AuditEvent): boolean {
  if (notified.has(event.id)) return false;
  notified.add(event.id);
  return true;
}
