// The application menu: File / Edit / View / Window / Help. Reload and DevTools exist only in development.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  readonly dev: boolean;
  openInBrowser(): void;
  copyApiAddress(): void;
  showWorkspace(): void;
  showAbout(): void;
}

export function buildMenu(actions: MenuActions, platform: NodeJS.Platform = process.platform): Menu {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open in Browser', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openInBrowser() },
        { label: 'Copy Local API Address', accelerator: 'CmdOrCtrl+Shift+C', click: () => actions.copyApiAddress() },
        { label: 'Show Workspace Folder', click: () => actions.showWorkspace() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(actions.dev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'About Slipway', click: () => actions.showAbout() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
