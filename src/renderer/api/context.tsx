// Makes the typed client and the connection state available to every component.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Connection } from './bridge.js';
import type { Client } from './client.js';
import type { ConnectionState } from './ws-bridge.js';

interface Api {
  readonly client: Client;
  readonly connection: Connection;
}

const ApiContext = createContext<Api | undefined>(undefined);

export function ApiProvider({ client, connection, children }: Api & { children: ReactNode }) {
  return <ApiContext.Provider value={{ client, connection }}>{children}</ApiContext.Provider>;
}

function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export const useClient = (): Client => useApi().client;

export function useConnectionState(): ConnectionState {
  const { connection } = useApi();
  return useSyncExternalStore(connection.onDidChangeState, connection.getState);
}
