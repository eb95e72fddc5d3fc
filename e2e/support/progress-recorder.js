// Runs in the page. A local deploy can finish in well under a second, quicker than a test can look;
// this notes every deploy step the window renders, so a test can check what a person saw scroll by.
/* global document, MutationObserver, window */
(() => {
  const seen = [];
  window.__slipwaySteps = seen;
  const note = () => {
    for (const section of document.querySelectorAll('[data-testid$="-progress"]')) {
      const environment = section
        .getAttribute('data-testid')
        .replace(/^env-/, '')
        .replace(/-progress$/, '');
      for (const step of section.querySelectorAll('.step')) {
        const name = step.querySelector('.step-name')?.firstChild?.textContent ?? '';
        const status = step.getAttribute('data-status') ?? '';
        const entry = `${environment}|${name}|${status}`;
        if (!seen.includes(entry)) seen.push(entry);
      }
    }
  };
  const start = () =>
    new MutationObserver(note).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
