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
}

/** Loopback server paths: the renderer is served at `/`, the socket at WS_PATH, plain calls at CALL_PATH/:name. */
export const WS_PATH = '/api/ws';
export const CALL_PATH = '/api/call';
