// Electron IPC transport. Calls: `ipcRenderer.invoke(IPC_CHANNEL, {t:'call', …})` → the envelope.
// Streams: `ipcRenderer.send(IPC_CHANNEL, {t:'sub'|'unsub', …})`, answered with `event`/`end` messages
// on the same channel. Only our own window's main frame, showing our renderer, is listened to.
// Written against the narrow shapes below so it runs without the Electron binary in tests.
import { clientMessageSchema, type ServerMessage } from '../../shared/contract/wire.js';
import { AppError, fail, type Result } from '../../shared/errors.js';
import type { CommandGesture } from '../router/command-gesture.js';
import { invalidInput, type CallContext, type Router } from '../router/router.js';
import type { Disposable } from '../util/disposable.js';
import { IPC_CHANNEL } from './ipc-channel.js';
import { createPeerSession, type PeerSession } from './peer-session.js';

export interface IpcFrameLike {
  readonly url: string;
  /** null for a main frame. */
  readonly parent: unknown;
}

export type WebContentsLifecycleEvent = 'destroyed' | 'did-navigate' | 'render-process-gone';

export interface IpcWebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: () => void): unknown;
  removeListener(event: 'destroyed', listener: () => void): unknown;
  removeListener(event: 'did-navigate', listener: () => void): unknown;
  removeListener(event: 'render-process-gone', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: IpcWebContentsLike;
  readonly senderFrame: IpcFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface IpcTransportOptions {
  readonly ipcMain: IpcMainLike;
  readonly router: Router;
  /** The renderer's app:// URL (index.html); frames showing anything else are refused. */
  readonly rendererUrl: string;
  readonly channel?: string;
  /** A refused sender or a broken message, for the main log. */
  readonly onRefused?: (reason: string) => void;
  readonly onUnexpectedError?: (error: unknown) => void;
  /** A main-process confirmation before a call runs a command (command-gesture.ts); without it such calls are refused. */
  readonly confirm?: (gesture: CommandGesture) => Promise<boolean>;
}

export interface IpcTransport {
  /** Trust this window's webContents; its streams end when it navigates, crashes or is destroyed. */
  attach(webContents: IpcWebContentsLike): Disposable;
  readonly subscriptionCount: number;
  dispose(): Promise<void>;
}

const documentOf = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return undefined;
  }
};

export function createIpcTransport(options: IpcTransportOptions): IpcTransport {
  const { ipcMain, router } = options;
  const channel = options.channel ?? IPC_CHANNEL;
  const rendererDocument = documentOf(options.rendererUrl);
  if (!rendererDocument?.startsWith('app://')) {
    throw new AppError('INVALID_INPUT', 'The window renderer must be an app:// URL.');
  }
  const attached = new Map<number, { webContents: IpcWebContentsLike; session: PeerSession | undefined }>();
  const ctx: CallContext = { transport: 'ipc', ...(options.confirm ? { confirm: options.confirm } : {}) };

  const refusal = (event: IpcEventLike): string | undefined => {
    if (!attached.has(event.sender.id) || event.sender.isDestroyed())
      return 'a webContents that is not a Slipway window';
    const frame = event.senderFrame;
    if (!frame) return 'a frame that is gone';
    if (frame.parent !== null) return 'a subframe';
    if (documentOf(frame.url) !== rendererDocument)
      return `a page that is not the Slipway renderer (${documentOf(frame.url) ?? 'unknown'})`;
    return undefined;
  };

  const sessionFor = (id: number): PeerSession | undefined => {
    const entry = attached.get(id);
    if (!entry) return undefined;
    entry.session ??= createPeerSession({
      router,
      ctx,
      send: (message: ServerMessage) => {
        if (!entry.webContents.isDestroyed()) entry.webContents.send(channel, message);
      },
      onProtocolError: (error) => options.onRefused?.(`an unreadable message: ${error.message}`),
      ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
    });
    return entry.session;
  };

  const endSession = (id: number): Promise<void> => {
    const entry = attached.get(id);
    const session = entry?.session;
    if (!entry || !session) return Promise.resolve();
    entry.session = undefined;
    return session.dispose();
  };

  const onInvoke = async (event: IpcEventLike, raw: unknown): Promise<Result<unknown>> => {
    const refused = refusal(event);
    if (refused) {
      options.onRefused?.(`Refused a call from ${refused}.`);
      return fail(new AppError('UNAUTHORIZED', 'This page may not talk to Slipway.'));
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) return fail(invalidInput(parsed.error));
    if (parsed.data.t !== 'call')
      return fail(new AppError('INVALID_INPUT', 'Invoke carries calls only; send streams as messages.'));
    return router.call(parsed.data.name, parsed.data.input, ctx);
  };

  const onMessage = (event: IpcEventLike, raw: unknown): void => {
    const refused = refusal(event);
    if (refused) {
      options.onRefused?.(`Refused a message from ${refused}.`);
      return;
    }
    sessionFor(event.sender.id)?.receive(raw);
  };

  const invokeListener = (event: IpcEventLike, ...args: unknown[]): Promise<unknown> => onInvoke(event, args[0]);
  const messageListener = (event: IpcEventLike, ...args: unknown[]): void => onMessage(event, args[0]);
  ipcMain.handle(channel, invokeListener);
  ipcMain.on(channel, messageListener);

  return {
    attach(webContents) {
      const id = webContents.id;
      attached.set(id, { webContents, session: undefined });
      const reset = (): void => void endSession(id);
      const forget = (): Promise<void> => {
        detach();
        const ending = endSession(id);
        attached.delete(id);
        return ending;
      };
      const destroyed = (): void => void forget();
      const detach = (): void => {
        webContents.removeListener('did-navigate', reset);
        webContents.removeListener('render-process-gone', reset);
        webContents.removeListener('destroyed', destroyed);
      };
      // A reload or crash loses the page that held the streams; a new page starts a new session.
      webContents.on('did-navigate', reset);
      webContents.on('render-process-gone', reset);
      webContents.on('destroyed', destroyed);
      return {
        dispose: forget,
      };
    },

    get subscriptionCount() {
      let count = 0;
      for (const entry of attached.values()) count += entry.session?.subscriptionCount ?? 0;
      return count;
    },

    async dispose() {
      ipcMain.removeHandler(channel);
      ipcMain.removeListener(channel, messageListener);
      await Promise.all([...attached.keys()].map((id) => endSession(id)));
      attached.clear();
    },
  };
}
