// Desktop notifications for teammates' production changes: the person opts in on the Team page; the
// choice is remembered in this window's storage. Nothing is sent anywhere but the operating system.
const KEY = 'slipway.notify-production';

export const notificationsWanted = (): boolean => {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
};

export const setNotificationsWanted = (on: boolean): void => {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the choice lasts until the window closes.
  }
};

export function notifyDesktop(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !notificationsWanted()) return;
  new Notification(title, { body });
}
