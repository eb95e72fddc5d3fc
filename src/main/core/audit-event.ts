// Activity events about one environment that are not releases (settings, deploy safety, marks).
import { randomUUID } from 'node:crypto';
import type { Actor, AuditAction, AuditEvent } from '../../shared/model.js';

/** `event(result, summary, errorCode?)` for one action by one actor on one environment. */
export function environmentEvent(
  actor: Actor,
  action: AuditAction,
  target: { pipeline: string; environment: string },
): (result: AuditEvent['result'], summary: string, errorCode?: string) => AuditEvent {
  return (result, summary, errorCode) => ({
    id: randomUUID(),
    at: new Date().toISOString(),
    actor,
    action,
    pipeline: target.pipeline,
    environment: target.environment,
    result,
    summary,
    ...(errorCode === undefined ? {} : { errorCode }),
  });
}
