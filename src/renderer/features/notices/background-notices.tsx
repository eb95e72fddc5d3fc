// Desktop notifications while the window is in the background: an alarm going to ALARM, a deploy
// ending. In a browser this uses the Notification API (permission is asked at the first click); the
// Electron app shows them from the main process instead, so this stays quiet there.
import { useEffect } from 'react';
import type { Deployment } from '../../../shared/model.js';
import { useClient } from '../../api/context.js';

// Focus as the browser reports it with focus/blur events (headless browsers never lose hasFocus()).
let focused = typeof document === 'undefined' || document.hasFocus();
if (typeof window !== 'undefined') {
  window.addEventListener('focus', () => (focused = true));
  window.addEventListener('blur', () => (focused = false));
}
const inBackground = (): boolean => document.visibilityState === 'hidden' || !focused;

function show(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !inBackground()) return;
  new Notification(title, { body, tag });
}

const ended = (d: Deployment): boolean => d.status === 'succeeded' || d.status === 'failed';

export function BackgroundNotices() {
  const client = useClient();

  useEffect(() => {
    if (window.slipway || typeof Notification === 'undefined' || Notification.permission !== 'default')
      return undefined;
    const ask = (): void => void Notification.requestPermission();
    window.addEventListener('click', ask, { once: true });
    return () => window.removeEventListener('click', ask);
  }, []);

  useEffect(() => {
    if (window.slipway) return undefined;
    const told = new Set<string>();
    const stopAlarms = client.subscribe('alarms.watch', {}, (change) => {
      if (change.alarm.state !== 'ALARM') return;
      show(
        `Alarm: ${change.alarm.name}`,
        `${change.pipeline}/${change.environment}: ${change.alarm.reason ?? 'in ALARM'}`,
        `alarm:${change.pipeline}/${change.environment}/${change.alarm.name}`,
      );
    });
    const stopDeploys = client.subscribe('deployments.watch', {}, (deployment) => {
      if (!ended(deployment) || told.has(deployment.id)) return;
      told.add(deployment.id);
      const version = deployment.releaseVersion ? ` v${deployment.releaseVersion}` : '';
      show(
        `Deploy ${deployment.status}: ${deployment.pipeline}/${deployment.environment}`,
        deployment.status === 'succeeded'
          ? `${deployment.environment}${version} is live.`
          : (deployment.error?.message ?? 'The deploy failed.'),
        `deploy:${deployment.id}`,
      );
    });
    return () => {
      stopAlarms();
      stopDeploys();
    };
  }, [client]);

  return null;
}
