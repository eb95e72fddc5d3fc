// Entry: pick the transport, build the client and the query cache, render the shell.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppError } from '../shared/errors.js';
import { connect } from './api/bridge.js';
import { createClient } from './api/client.js';
import { ApiProvider } from './api/context.js';
import { watchTokenLinks } from './api/token.js';
import { App } from './app/app.js';
import { startTheme } from './app/theme.js';
import { NoToken } from './app/no-token.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/features.css';

startTheme();

/** Worth retrying: the cloud or the connection hiccuped. Not worth it: the request itself was wrong. */
const transient = (error: unknown): boolean =>
  !(error instanceof AppError) || error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'INTERNAL';

const root = createRoot(document.getElementById('root') as HTMLElement);
const setup = connect();
// A link with a new token opened in this tab (Slipway restarted, or the first link after a bare address)
// only changes the fragment; loading the page again connects with the token now kept for the tab.
if (!window.slipway) watchTokenLinks(() => window.location.reload());

if (setup.kind === 'no-token') {
  root.render(
    <StrictMode>
      <NoToken />
    </StrictMode>,
  );
} else {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < 2 && transient(error),
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
  // Stream events sent while the socket was down are lost; refetch everything once it is back.
  setup.connection.onDidReconnect(() => void queryClient.invalidateQueries());
  const client = createClient(setup.connection.bridge);
  root.render(
    <StrictMode>
      <ApiProvider client={client} connection={setup.connection}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </ApiProvider>
    </StrictMode>,
  );
}
