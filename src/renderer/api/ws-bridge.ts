// The browser bridge: the contract's wire messages over one WebSocket, reconnecting with backoff and
// resubscribing live streams, so a dropped socket costs a banner, not a reload.
import type { SlipwayBridge } from '../../shared/contract/bridge.js';
import { serverMessageSchema, type ClientMessage } from '../../shared/contract/wire.js';
import type { Result, WireError } from '../../shared/errors.js';

/** The part of the DOM WebSocket the bridge uses, so tests can hand it a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WsBridgeOptions {
  readonly url: string;
  readonly createSocket?: (url: string) => SocketLike;
  /** First retry delay; doubles on each failure up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** 0..1, spreads reconnects of many tabs; tests pass () => 0.5 for exact delays. */
  readonly random?: () => number;
  readonly timers?: Timers;
}

export interface WsBridge extends SlipwayBridge {
  readonly state: ConnectionState;
  /** Fires on every state change; returns an unsubscribe function. */
  onDidChangeState(listener: (state: ConnectionState) => void): () => void;
  /** Fires after a dropped socket is replaced, when cached data may have gone stale. */
  onDidReconnect(listener: () => void): () => void;
  dispose(): void;
}

interface PendingCall {
  readonly message: ClientMessage;
  sent: boolean;
  readonly resolve: (result: Result<unknown>) => void;
}

interface LiveStream {
  readonly message: ClientMessage;
  readonly onEvent: (event: unknown) => void;
  readonly onEnd: (error?: WireError) => void;
}

const OPEN = 1;

export const connectionLost: WireError = {
  code: 'PROVIDER_UNAVAILABLE',
  message:
    'The connection to Slipway dropped before an answer came back. Check the activity feed to see whether it happened, then retry.',
};

export const channelLost: WireError = {
  code: 'PROVIDER_UNAVAILABLE',
  message: 'The connection to Slipway dropped, which ended this session. Open a new one.',
};

export function retryDelay(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  // ±20 % jitter keeps several tabs from reconnecting in lockstep.
  return Math.round(base * (0.8 + 0.4 * random));
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const initialDelayMs = options.initialDelayMs ?? 300;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const timers: Timers = options.timers ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };

  let nextId = 1;
  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let everOpened = false;
  let retryHandle: unknown;
  let disposed = false;
  const calls = new Map<number, PendingCall>();
  const live = new Map<number, LiveStream>();
  /** Open channels: like streams, but never re-sent on reconnect (their server side ended with the socket). */
  const channels = new Map<number, LiveStream>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const reconnectListeners = new Set<() => void>();

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const send = (message: ClientMessage): boolean => {
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.t === 'result') {
      const call = calls.get(message.id);
      if (call) {
        calls.delete(message.id);
        call.resolve(message.result as Result<unknown>);
        return;
      }
      // A subscription refused up front (unknown stream, bad input) answers with an error result.
      const stream = live.get(message.id);
      if (stream && !message.result.ok) {
        live.delete(message.id);
        stream.onEnd(message.result.error);
      }
      return;
    }
    const stream = live.get(message.id) ?? channels.get(message.id);
    if (!stream) return; // Late events for a stream this side already left.
    if (message.t === 'event') {
      stream.onEvent(message.event);
    } else {
      live.delete(message.id);
      channels.delete(message.id);
      stream.onEnd(message.error);
    }
  };

  const connect = (): void => {
    retryHandle = undefined;
    if (disposed) return;
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      setState('open');
      for (const stream of live.values()) send(stream.message);
      for (const call of calls.values()) {
        if (!call.sent) call.sent = send(call.message);
      }
      if (reconnected) for (const listener of [...reconnectListeners]) listener();
    };
    current.onmessage = (event) => {
      if (socket === current) onMessage(event.data);
    };
    current.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      // A call already sent may or may not have run: say so rather than send it twice.
      for (const [id, call] of calls) {
        if (call.sent) {
          calls.delete(id);
          call.resolve({ ok: false, error: connectionLost });
        }
      }
      const dropped = [...channels.values()];
      channels.clear();
      for (const channel of dropped) channel.onEnd(channelLost);
      if (disposed) return;
      setState(everOpened ? 'reconnecting' : 'connecting');
      const delay = retryDelay(attempt, initialDelayMs, maxDelayMs, random());
      attempt += 1;
      retryHandle = timers.setTimeout(connect, delay);
    };
  };

  connect();

  return {
    get state() {
      return state;
    },

    call(name, input) {
      if (disposed) return Promise.resolve({ ok: false, error: connectionLost });
      return new Promise((resolve) => {
        const id = nextId++;
        const message: ClientMessage = { t: 'call', id, name, input };
        const call: PendingCall = { message, sent: false, resolve };
        calls.set(id, call);
        call.sent = send(message);
      });
    },

    subscribe(name, input, onEvent, onEnd) {
      const id = nextId++;
      const message: ClientMessage = { t: 'sub', id, name, input };
      live.set(id, { message, onEvent, onEnd });
      send(message);
      return () => {
        if (!live.delete(id)) return;
        send({ t: 'unsub', id });
      };
    },

    open(name, input, onEvent, onEnd) {
      const id = nextId++;
      const message: ClientMessage = { t: 'sub', id, name, input };
      if (disposed || !send(message)) {
        queueMicrotask(() => onEnd(channelLost));
        return { send: () => undefined, close: () => undefined };
      }
      channels.set(id, { message, onEvent, onEnd });
      return {
        send(data) {
          if (channels.has(id)) send({ t: 'send', id, message: data });
        },
        close() {
          if (channels.delete(id)) send({ t: 'unsub', id });
        },
      };
    },

    onDidChangeState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },

    onDidReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      if (retryHandle !== undefined) timers.clearTimeout(retryHandle);
      for (const call of calls.values()) call.resolve({ ok: false, error: connectionLost });
      calls.clear();
      live.clear();
      channels.clear();
      setState('closed');
      socket?.close(1000, 'closed');
      socket = undefined;
    },
  };
}
