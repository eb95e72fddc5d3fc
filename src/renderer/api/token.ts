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
