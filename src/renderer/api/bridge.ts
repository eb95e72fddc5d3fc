// Picks the transport: the Electron preload's `window.slipway`, or a WebSocket to the loopback server.
import type { SlipwayBridge } from '../../shared/contract/bridge.js';
import { WS_PATH } from '../../shared/contract/bridge.js';
import { takeToken } from './token.js';
import { createWsBridge, type ConnectionState } from './ws-bridge.js';

declare global {
  interface Window {
    slipway?: SlipwayBridge;
  }
}

export interface Connection {
  readonly bridge: SlipwayBridge;
  getState(): ConnectionState;
  onDidChangeState(listener: (state: ConnectionState) => void): () => void;
  onDidReconnect(listener: () => void): () => void;
}

export type ConnectionSetup = { kind: 'ready'; connection: Connection } | { kind: 'no-token' };

export function connect(): ConnectionSetup {
  if (window.slipway) {
    const bridge = window.slipway;
    return {
      kind: 'ready',
      connection: {
        bridge,
        getState: () => 'open',
        onDidChangeState: () => () => undefined,
        onDidReconnect: () => () => undefined,
      },
    };
  }
  const token = takeToken();
  if (token === undefined) return { kind: 'no-token' };
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = createWsBridge({
    url: `${scheme}://${window.location.host}${WS_PATH}?token=${encodeURIComponent(token)}`,
  });
  return {
    kind: 'ready',
    connection: {
      bridge: ws,
      getState: () => ws.state,
      onDidChangeState: (listener) => ws.onDidChangeState(listener),
      onDidReconnect: (listener) => ws.onDidReconnect(listener),
    },
  };
}
