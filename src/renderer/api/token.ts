// The loopback server hands the page its access token in the URL fragment, which never reaches a server log.
const STORAGE_KEY = 'slipway.token';
const TOKEN_IN_FRAGMENT = /(^|[#&?])token=([^&]*)/;

/** Splits `#token=abc` (optionally mixed with a route, e.g. `#/activity&token=abc`) into the token and what remains. */
export function extractToken(hash: string): { token: string | undefined; rest: string } {
  const match = TOKEN_IN_FRAGMENT.exec(hash);
  if (!match) return { token: undefined, rest: hash };
  const token = decodeURIComponent(match[2] ?? '');
  let rest = hash.slice(0, match.index) + (match[1] === '#' ? '#' : '') + hash.slice(match.index + match[0].length);
  rest = rest.replace(/^#&/, '#').replace(/[&?]$/, '');
  if (rest === '#') rest = '';
  return { token: token === '' ? undefined : token, rest };
}

/** Reads the token from the address bar once, keeps it for this tab, and removes it from the address bar and history. */
export function takeToken(): string | undefined {
  const { token, rest } = extractToken(window.location.hash);
  if (token !== undefined) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Storage can be disabled; the token then lives only as long as this page.
    }
    const url = window.location.pathname + window.location.search + rest;
    window.history.replaceState(window.history.state, '', url);
    return token;
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The parts of `window` a token link touches, so tests can hand in a fake. */
export interface TokenLinkWindow {
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string };
  readonly history: { readonly state: unknown; replaceState(state: unknown, unused: string, url: string): void };
  readonly sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * Handles a link with `#token=` opened in a tab that already shows Slipway (the browser then only fires
 * `hashchange`): the token is kept and taken out of the address bar like on first load, and
 * `onDidChangeToken` runs when it differs from the one in use, so the caller can connect with it (the
 * token is in session storage by then, or, when storage is disabled, still in the address bar).
 * Returns a function that stops listening.
 */
export function watchTokenLinks(
  onDidChangeToken: (token: string) => void,
  win: TokenLinkWindow = window,
  makeEvent: () => Event = () => new HashChangeEvent('hashchange'),
): () => void {
  const onHashChange = (): void => {
    const { token, rest } = extractToken(win.location.hash);
    if (token === undefined) return;
    let previous: string | undefined;
    try {
      previous = win.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
      win.sessionStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Without storage the address bar is the only place the token survives a reconnect: leave it there.
      onDidChangeToken(token);
      return;
    }
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search + rest);
    // The route listeners saw the fragment with the token in it; let them read the cleaned one.
    win.dispatchEvent(makeEvent());
    if (token !== previous) onDidChangeToken(token);
  };
  win.addEventListener('hashchange', onHashChange);
  return () => win.removeEventListener('hashchange', onHashChange);
}
