// What every window's web contents may and may not do: no navigation, no new windows, no webviews,
// no permissions, no network (the window talks to main over IPC only). The CSP comes with the page
// (app-protocol.ts).
import type { Session, WebContents } from 'electron';

/** Links the UI may open outside: GitHub compare pages from the promote dialog, nothing else. */
export function isOpenableExternally(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.hostname === 'github.com' &&
      /^\/[^/]+\/[^/]+\/compare\/[^/]+/.test(parsed.pathname)
    );
  } catch {
    return false;
  }
}

export function hardenSession(session: Session): void {
  // The renderer's only way out is IPC; a network request from it is a bug or an attack.
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => {
      callback({ cancel: true });
    },
  );
  // Copy buttons write to the clipboard; nothing else is ever granted.
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
  session.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
}

export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isOpenableExternally(url)) openExternal(url);
    return { action: 'deny' };
  });
}
