// One peer's streams, whatever carries its messages (a WebSocket, an Electron webContents). The peer owns
// every subscription it opens, so nothing outlives the socket or window that asked for it.
import { clientMessageSchema, type ServerMessage } from '../../shared/contract/wire.js';
import { AppError, fail, toWire, type WireError } from '../../shared/errors.js';
import { invalidInput, type CallContext, type Router, type Subscription } from '../router/router.js';
import type { Disposable } from '../util/disposable.js';

export interface PeerSession extends Disposable {
  /** One decoded client message. Malformed messages are answered on their id or reported as a protocol error. */
  receive(raw: unknown): void;
  readonly subscriptionCount: number;
  dispose(): Promise<void>;
}

export interface PeerSessionOptions {
  readonly router: Router;
  readonly ctx: CallContext;
  readonly send: (message: ServerMessage) => void;
  /** The message cannot be answered on any id: the transport decides (a socket closes, IPC ignores). */
  readonly onProtocolError: (error: WireError) => void;
  /** Failures disposing a stream go to the main log, never the peer. */
  readonly onUnexpectedError?: (error: unknown) => void;
}

const idOf = (raw: unknown): { t: unknown; id: number } | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { t, id } = raw as { t?: unknown; id?: unknown };
  return typeof id === 'number' && Number.isInteger(id) ? { t, id } : undefined;
};

export function createPeerSession(options: PeerSessionOptions): PeerSession {
  const { router, ctx, send } = options;
  const subscriptions = new Map<number, Subscription>();
  let disposed = false;

  const safeSend = (message: ServerMessage): void => {
    if (!disposed) send(message);
  };

  const end = async (id: number, subscription: Subscription): Promise<void> => {
    try {
      await subscription.dispose();
    } catch (error) {
      options.onUnexpectedError?.(error);
    }
  };

  const rejectMalformed = (raw: unknown, error: AppError): void => {
    const known = idOf(raw);
    if (known?.t === 'call') safeSend({ t: 'result', id: known.id, result: fail(error) });
    else if (known?.t === 'sub') safeSend({ t: 'end', id: known.id, error: toWire(error) });
    else options.onProtocolError(toWire(error));
  };

  return {
    get subscriptionCount() {
      return subscriptions.size;
    },

    receive(raw) {
      if (disposed) return;
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        rejectMalformed(raw, invalidInput(parsed.error));
        return;
      }
      const message = parsed.data;
      switch (message.t) {
        case 'call': {
          void router
            .call(message.name, message.input, ctx)
            .catch((error: unknown) => fail(error))
            .then((result) => safeSend({ t: 'result', id: message.id, result }));
          return;
        }
        case 'sub': {
          if (subscriptions.has(message.id)) {
            const error = new AppError(
              'INVALID_INPUT',
              `Stream id ${message.id} is already open; use a new id for each stream.`,
            );
            safeSend({ t: 'end', id: message.id, error: toWire(error) });
            return;
          }
          const opened: { subscription?: Subscription; endedEarly?: boolean } = {};
          const result = router.subscribe(
            message.name,
            message.input,
            ctx,
            (event) => {
              if (subscriptions.has(message.id)) safeSend({ t: 'event', id: message.id, event });
            },
            (error) => {
              // The server side ended a channel: forget it (it has released what it held) and tell the peer.
              if (!opened.subscription) opened.endedEarly = true;
              else if (subscriptions.get(message.id) === opened.subscription) subscriptions.delete(message.id);
              safeSend(error ? { t: 'end', id: message.id, error } : { t: 'end', id: message.id });
            },
          );
          if (!result.ok) {
            safeSend({ t: 'end', id: message.id, error: result.error });
            return;
          }
          opened.subscription = result.value;
          if (opened.endedEarly) void end(message.id, result.value);
          else subscriptions.set(message.id, result.value);
          return;
        }
        case 'send': {
          const subscription = subscriptions.get(message.id);
          // A message racing the channel's end is dropped: the end is on its way to the peer.
          if (!subscription) return;
          if (!subscription.send) {
            const error = new AppError(
              'INVALID_INPUT',
              `Stream id ${message.id} is not a channel; it takes no messages.`,
            );
            subscriptions.delete(message.id);
            void end(message.id, subscription).then(() => safeSend({ t: 'end', id: message.id, error: toWire(error) }));
            return;
          }
          const sent = subscription.send(message.message);
          if (!sent.ok) {
            subscriptions.delete(message.id);
            void end(message.id, subscription).then(() => safeSend({ t: 'end', id: message.id, error: sent.error }));
          }
          return;
        }
        case 'unsub': {
          const subscription = subscriptions.get(message.id);
          if (!subscription) return;
          subscriptions.delete(message.id);
          void end(message.id, subscription).then(() => safeSend({ t: 'end', id: message.id }));
          return;
        }
      }
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      const open = [...subscriptions];
      subscriptions.clear();
      await Promise.all(open.map(([id, subscription]) => end(id, subscription)));
    },
  };
}
