// The desktop app (dist/main/electron.js). One process holds the workspace and serves it two ways:
// the window over IPC, and the loopback server (browser, local API, scripts) for as long as the
// window is open. Its address, token included, is in home/server.json (owner-only).
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, Notification, protocol, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices, type Services } from '../services.js';
import { createIpcTransport, type IpcTransport } from '../transports/ipc.js';
import { startLoopbackServer, type LoopbackServer } from '../transports/loopback-server.js';
import { removeServerFile, writeServerFile } from '../transports/server-file.js';
import { DisposableStore, toDisposable } from '../util/disposable.js';
import { resolveHome } from '../workspace/home.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, handleAppRequest, RENDERER_URL } from './app-protocol.js';
import { desktopNotices } from './desktop-notices.js';
import { hardenContents, hardenSession } from './hardening.js';
import { buildMenu } from './menu.js';
import { menuActions } from './menu-actions.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
// DevTools and the dev menu exist only in an unpackaged (development) build; no variable turns them on in a shipped one.
const dev = !app.isPackaged;
const home = resolveHome();

interface Running {
  readonly services: Services;
  readonly loopback: LoopbackServer;
  readonly ipc: IpcTransport;
}

const store = new DisposableStore();
let running: Running | undefined;
let window: BrowserWindow | undefined;

const log = (message: string, error?: unknown): void => {
  process.stderr.write(`slipway: ${message}${error instanceof Error ? `: ${error.message}` : ''}\n`);
};

function createWindow(ipc: IpcTransport): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Slipway',
    backgroundColor: '#111318',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would open a link in a new window without going through the open handler.
      disableBlinkFeatures: 'Auxclick',
      devTools: dev,
    },
  });
  const attached = ipc.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    void attached.dispose();
    if (window === win) window = undefined;
  });
  void win.loadURL(RENDERER_URL);
  return win;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  // The renderer and its CSP header come from app://slipway/, never from file://.
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(rendererDir, request));
  const services = await createServices({ home, recover: true, log });
  store.add(toDisposable(() => services.dispose()));
  const loopback = await startLoopbackServer({
    router: services.router,
    rendererDir,
    onUnexpectedError: (error) => log('loopback server error', error),
  });
  store.add(toDisposable(() => loopback.dispose()));
  await writeServerFile(home, {
    url: loopback.url,
    origin: loopback.origin,
    port: loopback.port,
    token: loopback.token,
    pid: process.pid,
    by: 'app',
    startedAt: new Date().toISOString(),
  });
  store.add(toDisposable(() => removeServerFile(home)));
  // ipcMain is handed to the transport, the only module that registers on it.
  const ipc = createIpcTransport({
    ipcMain,
    router: services.router,
    rendererUrl: RENDERER_URL,
    onRefused: (reason) => log(reason),
    onUnexpectedError: (error) => log('IPC error', error),
    // The person's gesture, asked in main: a page (even a compromised one) cannot run commands by itself.
    confirm: async (gesture) => {
      const options = {
        type: 'warning' as const,
        title: gesture.action,
        message: `${gesture.action} on ${gesture.where}?`,
        detail: gesture.command,
        buttons: ['Cancel', gesture.action],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return answer.response === 1;
    },
  });
  store.add(ipc);
  running = { services, loopback, ipc };
  if (Notification.isSupported()) {
    store.add(
      desktopNotices({
        router: services.router,
        inBackground: () => BrowserWindow.getFocusedWindow() === null,
        notify: (title, body) => new Notification({ title, body }).show(),
      }),
    );
  }

  Menu.setApplicationMenu(
    buildMenu(
      menuActions({
        dev,
        home,
        version: app.getVersion(),
        loopback,
        clipboard,
        openExternal: (url) => void shell.openExternal(url),
        openPath: (path) => void shell.openPath(path),
        showInfo: (info) => void dialog.showMessageBox({ type: 'info', ...info }),
      }),
    ),
  );
  window = createWindow(ipc);
}

// Before ready: app:// is a standard, secure origin (CSP 'self', no mixed-content exemptions needed).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, (url) => void shell.openExternal(url)));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!window && running) window = createWindow(running.ipc);
  });

  let cleanedUp = false;
  let cleaning = false;
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    // Finish disposing (sockets, streams, server.json) before the process goes.
    event.preventDefault();
    if (cleaning) return;
    cleaning = true;
    void store.dispose().finally(() => {
      cleanedUp = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('could not start', error);
      dialog.showErrorBox('Slipway could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
