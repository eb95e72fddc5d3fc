// What the menu's items do, apart from Electron so the secret scan can run them: nothing they write to
// the clipboard or show carries the loopback token (it stays in server.json, owner-only).
import { join } from 'node:path';
import type { MenuActions } from './menu.js';

export interface MenuDeps {
  readonly dev: boolean;
  readonly home: string;
  readonly version: string;
  readonly loopback: { readonly origin: string; openAddress(): string };
  readonly clipboard: { writeText(text: string): void };
  openExternal(url: string): void;
  openPath(path: string): void;
  showInfo(info: { title: string; message: string; detail: string }): void;
}

export function menuActions(deps: MenuDeps): MenuActions {
  const { loopback, home } = deps;
  return {
    dev: deps.dev,
    // A one-time address, so the token is not in the argv of the process that opens the browser.
    openInBrowser: () => deps.openExternal(loopback.openAddress()),
    // The address only: the token stays in server.json (owner-only), off the clipboard.
    copyApiAddress: () => deps.clipboard.writeText(loopback.origin),
    showWorkspace: () => deps.openPath(home),
    showAbout: () =>
      deps.showInfo({
        title: 'About Slipway',
        message: `Slipway ${deps.version}`,
        detail: `Workspace: ${home}\nLocal API: ${loopback.origin} (token in ${join(home, 'server.json')})`,
      }),
  };
}
