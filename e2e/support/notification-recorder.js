// Runs in the page. Notes every desktop notification the page hands to the operating system, then
// lets the real Notification show it, so a test can check what a person would have seen.
/* global window */
(() => {
  const Real = window.Notification;
  const shown = [];
  window.__slipwayNotifications = shown;
  class Watched extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: (options && options.body) || '' });
    }
  }
  Object.defineProperty(window, 'Notification', { value: Watched, configurable: true });
})();
