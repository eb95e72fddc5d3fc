// One activity event as a sentence a teammate reads at a glance: "alice promoted web to production".
import type { AuditAction, AuditEvent } from '../../../shared/model.js';

export const actionLabel: Record<AuditAction, string> = {
  deploy: 'deployed',
  promote: 'promoted',
  rollback: 'rolled back',
  'config.set': 'set config',
  'config.unset': 'removed config',
  'release.mark-no-rollback': 'marked no-rollback',
  'pipeline.create': 'created pipeline',
  'environment.make-deploys-safe': 'made deploys safe',
  'environment.configure': 'changed settings',
  'alarm.create': 'created alarm',
  'alarm.delete': 'deleted alarm',
  'exec.start': 'opened a shell in',
  'exec.end': 'closed a shell in',
  'instance.stop': 'stopped an instance in',
  'task.run': 'ran a one-off command in',
  'environment.enable-exec': 'enabled exec on',
  'environment.lease-expired': 'took over an expired deploy lease on',
  'environment.enable-detailed-metrics': 'turned on per-instance metrics for',
  'environment.guard-deploys': 'guarded rollouts with alarms in',
};

const INTO: ReadonlySet<AuditAction> = new Set(['deploy', 'promote']);

export function activitySentence(event: AuditEvent): string {
  const where = event.environment ? `${INTO.has(event.action) ? ' to' : ' in'} ${event.environment}` : '';
  const failed = event.result === 'failed' ? ' (failed)' : '';
  const version = event.afterVersion !== undefined && event.result === 'succeeded' ? ` (v${event.afterVersion})` : '';
  return `${event.actor.user} ${actionLabel[event.action]} ${event.pipeline}${where}${version}${failed}`;
}
