// Binds one WebSocket to a peer session: JSON text frames in, server messages out, streams ended on close.
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/contract/wire.js';
import type { WireError } from '../../shared/errors.js';
import type { Router } from '../router/router.js';
import { createPeerSession, type PeerSession } from './peer-session.js';

export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A client that stops reading (a frozen tab) is cut off before its backlog eats memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

// Close codes from RFC 6455.
const INVALID_PAYLOAD = 1007;
const POLICY_VIOLATION = 1008;
const TRY_AGAIN_LATER = 1013;

/** Close reasons are limited to 123 bytes. */
const reason = (text: string): string =>
  Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString()}…`;

export function attachSocket(ws: WebSocket, router: Router, onUnexpectedError?: (error: unknown) => void): PeerSession {
  const send = (message: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(TRY_AGAIN_LATER, 'The client is not reading its messages; reconnect.');
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const protocolError = (code: number, error: WireError): void => {
    ws.close(code, reason(`${error.code}: ${error.message}`));
  };

  const session = createPeerSession({
    router,
    ctx: { transport: 'ws', backlog: () => ws.bufferedAmount },
    send,
    onProtocolError: (error) => protocolError(POLICY_VIOLATION, error),
    ...(onUnexpectedError ? { onUnexpectedError } : {}),
  });

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      protocolError(INVALID_PAYLOAD, { code: 'INVALID_INPUT', message: 'Send JSON text frames.' });
      return;
    }
    let decoded: unknown;
    try {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(new Uint8Array(data));
      decoded = JSON.parse(bytes.toString('utf8'));
    } catch {
      protocolError(INVALID_PAYLOAD, { code: 'INVALID_INPUT', message: 'A message was not valid JSON.' });
      return;
    }
    session.receive(decoded);
  });
  ws.on('error', (error) => onUnexpectedError?.(error));
  return session;
}
