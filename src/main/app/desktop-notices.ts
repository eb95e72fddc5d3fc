// The window's desktop notifications, shown by the main process (Electron's Notification): an alarm
// going to ALARM, a deploy ending, while no Slipway window has focus. Written against the router and
// two callbacks so it runs without the Electron binary in tests.
import type { AlarmChange } from '../../shared/contract/index.js';
import type { Deployment } from '../../shared/model.js';
import type { Router } from '../router/router.js';
import { DisposableStore, type Disposable } from '../util/disposable.js';

export interface DesktopNoticeOptions {
  readonly router: Router;
  /** True when no Slipway window has focus. */
  readonly inBackground: () => boolean;
  readonly notify: (title: string, body: string) => void;
}

export function desktopNotices(options: DesktopNoticeOptions): Disposable {
  const store = new DisposableStore();
  const told = new Set<string>();
  const show = (title: string, body: string): void => {
    if (options.inBackground()) options.notify(title, body);
  };
  const alarms = options.router.subscribe('alarms.watch', {}, { transport: 'ipc' }, (event) => {
    const change = event as AlarmChange;
    if (change.alarm.state === 'ALARM')
      show(
        `Alarm: ${change.alarm.name}`,
        `${change.pipeline}/${change.environment}: ${change.alarm.reason ?? 'in ALARM'}`,
      );
  });
  if (alarms.ok) store.add(alarms.value);
  const deploys = options.router.subscribe('deployments.watch', {}, { transport: 'ipc' }, (event) => {
    const deployment = event as Deployment;
    if ((deployment.status !== 'succeeded' && deployment.status !== 'failed') || told.has(deployment.id)) return;
    told.add(deployment.id);
    const version = deployment.releaseVersion ? ` v${deployment.releaseVersion}` : '';
    show(
      `Deploy ${deployment.status}: ${deployment.pipeline}/${deployment.environment}`,
      deployment.status === 'succeeded'
        ? `${deployment.environment}${version} is live.`
        : (deployment.error?.message ?? 'The deploy failed.'),
    );
  });
  if (deploys.ok) store.add(deploys.value);
  return store;
}
