// The one narrow object the Electron preload exposes as `window.slipway`; the WebSocket client has the same shape.
import type { Result, WireError } from '../errors.js';

export interface SlipwayBridge {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  /** Returns an unsubscribe function. `onEnd` fires once when the stream ends (with an error if it failed). */
  subscribe(
    name: string,
    input: unknown,
    onEvent: (event: unknown) => void,
    onEnd: (error?: WireError) => void,
  ): () => void;
  /**
   * Opens a channel (a stream the client can write to). Not reopened after a dropped connection:
   * it ends with an error instead, as its server side has ended too.
   */
  open(
    name: string,
    input: unknown,
    onEvent: (event: unknown) => void,
    onEnd: (error?: WireError) => void,
  ): ChannelHandle;
}

export interface ChannelHandle {
  send(message: unknown): void;
  /** Ends the channel from this side; no `onEnd` follows. */
  close(): void;
}

/** Loopback server paths: the renderer is served at `/`, the socket at WS_PATH, plain calls at CALL_PATH/:name. */
export const WS_PATH = '/api/ws';
export const CALL_PATH = '/api/call';
