import { describe, expect, it } from 'vitest';
import { extractToken, watchTokenLinks, type TokenLinkWindow } from './token.js';

describe('extractToken', () => {
  it('reads a bare token fragment and leaves an empty fragment', () => {
    expect(extractToken('#token=abc123')).toEqual({ token: 'abc123', rest: '' });
  });

  it('keeps the route when the token rides along with it', () => {
    expect(extractToken('#/activity&token=s3cr%2Ft')).toEqual({ token: 's3cr/t', rest: '#/activity' });
    expect(extractToken('#token=t&/pipelines/demo')).toEqual({ token: 't', rest: '#/pipelines/demo' });
  });

  it('returns no token when the fragment has none', () => {
    expect(extractToken('#/pipelines/demo')).toEqual({ token: undefined, rest: '#/pipelines/demo' });
    expect(extractToken('')).toEqual({ token: undefined, rest: '' });
  });

  it('treats an empty token as missing', () => {
    expect(extractToken('#token=').token).toBeUndefined();
  });
});

/** A tab with an address bar, history, session storage and hashchange listeners, as the browser keeps them. */
function fakeTab(hash: string, stored?: string, { storage = true } = {}) {
  const listeners = new Set<() => void>();
  const items = new Map<string, string>(stored === undefined ? [] : [['slipway.token', stored]]);
  const routesSeen: string[] = [];
  const tab = {
    location: { hash, pathname: '/', search: '' },
    history: {
      state: null,
      replaceState: (_state: unknown, _unused: string, url: string) => {
        tab.location.hash = url.slice(url.indexOf('#') === -1 ? url.length : url.indexOf('#'));
      },
    },
    sessionStorage: {
      getItem: (key: string) => {
        if (!storage) throw new Error('storage disabled');
        return items.get(key) ?? null;
      },
      setItem: (key: string, value: string) => {
        if (!storage) throw new Error('storage disabled');
        items.set(key, value);
      },
    },
    addEventListener: (_type: 'hashchange', listener: () => void) => void listeners.add(listener),
    removeEventListener: (_type: 'hashchange', listener: () => void) => void listeners.delete(listener),
    dispatchEvent: () => {
      for (const listener of [...listeners]) listener();
      return true;
    },
    /** The person opens a link in this tab: only the fragment changes, so the browser fires hashchange. */
    follow(next: string) {
      tab.location.hash = next;
      tab.dispatchEvent();
    },
    stored: () => items.get('slipway.token'),
    routesSeen,
    listeners,
  };
  // Stands in for the route hook, which re-reads the fragment on every hashchange.
  listeners.add(() => routesSeen.push(tab.location.hash));
  return tab satisfies TokenLinkWindow;
}

describe('watchTokenLinks', () => {
  const event = () => new Event('hashchange');

  it('keeps a new token from a link, strips it from the address bar and asks to reconnect', () => {
    const tab = fakeTab('#/pipelines/demo', 'old-token');
    const changed: string[] = [];
    watchTokenLinks((token) => changed.push(token), tab, event);

    tab.follow('#/activity&token=new%2Ftoken');
    expect(changed).toEqual(['new/token']);
    expect(tab.stored()).toBe('new/token');
    expect(tab.location.hash).toBe('#/activity');
    // The page's routes end up on the cleaned fragment.
    expect(tab.routesSeen.at(-1)).toBe('#/activity');
  });

  it('strips a link carrying the token already in use without reconnecting', () => {
    const tab = fakeTab('', 'same');
    const changed: string[] = [];
    watchTokenLinks((token) => changed.push(token), tab, event);
    tab.follow('#token=same');
    expect(changed).toEqual([]);
    expect(tab.location.hash).toBe('');
  });

  it('connects a tab that had no token yet', () => {
    const tab = fakeTab('');
    const changed: string[] = [];
    watchTokenLinks((token) => changed.push(token), tab, event);
    tab.follow('#token=first');
    expect(changed).toEqual(['first']);
    expect(tab.stored()).toBe('first');
  });

  it('ignores fragments without a token, and stops listening when disposed', () => {
    const tab = fakeTab('', 'kept');
    const changed: string[] = [];
    const stop = watchTokenLinks((token) => changed.push(token), tab, event);
    tab.follow('#/pipelines/demo');
    expect(tab.location.hash).toBe('#/pipelines/demo');
    stop();
    tab.follow('#token=later');
    expect(changed).toEqual([]);
    expect(tab.stored()).toBe('kept');
    expect(tab.location.hash).toBe('#token=later');
  });

  it('leaves the token in the address bar when storage is disabled, so a reload can still read it', () => {
    const tab = fakeTab('', undefined, { storage: false });
    const changed: string[] = [];
    watchTokenLinks((token) => changed.push(token), tab, event);
    tab.follow('#token=abc');
    expect(changed).toEqual(['abc']);
    expect(tab.location.hash).toBe('#token=abc');
  });
});
