// The window's only way out: `window.slipway`, a SlipwayBridge over one IPC channel. Nothing else is
// exposed and no channel name is taken from the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { SlipwayBridge } from '../../shared/contract/bridge.js';
import type { Result, WireError } from '../../shared/errors.js';
import { IPC_CHANNEL } from '../transports/ipc-channel.js';

interface Listener {
  onEvent(event: unknown): void;
  onEnd(error?: WireError): void;
}

const listeners = new Map<number, Listener>();
let nextId = 1;

ipcRenderer.on(IPC_CHANNEL, (_event: IpcRendererEvent, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { t, id } = message as { t?: unknown; id?: unknown };
  if (typeof id !== 'number') return;
  const listener = listeners.get(id);
  if (!listener) return;
  if (t === 'event') {
    listener.onEvent((message as { event: unknown }).event);
  } else if (t === 'end') {
    listeners.delete(id);
    listener.onEnd((message as { error?: WireError }).error);
  }
});

const unreachable: Result<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'The Slipway window lost its connection to the main process. Reload the window.',
  },
};

const bridge: SlipwayBridge = {
  call(name, input) {
    return (
      ipcRenderer.invoke(IPC_CHANNEL, { t: 'call', id: nextId++, name, input }) as Promise<Result<unknown>>
    ).catch(() => unreachable);
  },
  subscribe(name, input, onEvent, onEnd) {
    const id = nextId++;
    listeners.set(id, { onEvent, onEnd });
    ipcRenderer.send(IPC_CHANNEL, { t: 'sub', id, name, input });
    return () => {
      // The caller asked to stop: no `end` callback for a stream it ended itself.
      if (listeners.delete(id)) ipcRenderer.send(IPC_CHANNEL, { t: 'unsub', id });
    };
  },
  open(name, input, onEvent, onEnd) {
    const id = nextId++;
    listeners.set(id, { onEvent, onEnd });
    ipcRenderer.send(IPC_CHANNEL, { t: 'sub', id, name, input });
    return {
      send(message) {
        if (listeners.has(id)) ipcRenderer.send(IPC_CHANNEL, { t: 'send', id, message });
      },
      close() {
        if (listeners.delete(id)) ipcRenderer.send(IPC_CHANNEL, { t: 'unsub', id });
      },
    };
  },
};

contextBridge.exposeInMainWorld('slipway', bridge);
