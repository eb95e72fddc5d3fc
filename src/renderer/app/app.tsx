// The shell: sidebar, header, connection banner and the page the hash route names.
import { lazy, Suspense, useEffect } from 'react';
import { usePipelines, useSystemInfo } from '../api/hooks.js';
import { EmptyState, ErrorState, SkeletonLines } from '../components/states.js';
import { PipelinePage } from '../features/pipeline/pipeline-page.js';
import { TerminalDock } from '../features/terminal/terminal-dock.js';
import { routeHref, type Route } from '../lib/route.js';
import { TeammateNotices } from '../features/team/teammate-notices.js';
import { BackgroundNotices } from '../features/notices/background-notices.js';
import { ConnectionBanner } from './connection-banner.js';
import { Header } from './header.js';
import { Sidebar } from './sidebar.js';
import { navigate, useRoute } from './use-route.js';

// Views a person opens on purpose load on demand, keeping the first paint small.
const ReleasesPage = lazy(() =>
  import('../features/releases/releases-page.js').then((m) => ({ default: m.ReleasesPage })),
);
const ConfigPage = lazy(() => import('../features/config/config-page.js').then((m) => ({ default: m.ConfigPage })));
const NewPipelinePage = lazy(() =>
  import('../features/aws/new-pipeline-page.js').then((m) => ({ default: m.NewPipelinePage })),
);
const LogsPage = lazy(() => import('../features/logs/logs-page.js').then((m) => ({ default: m.LogsPage })));
const MetricsPage = lazy(() => import('../features/metrics/metrics-page.js').then((m) => ({ default: m.MetricsPage })));
const WebhooksPage = lazy(() => import('../features/team/webhooks-page.js').then((m) => ({ default: m.WebhooksPage })));
const TeamPage = lazy(() => import('../features/team/team-page.js').then((m) => ({ default: m.TeamPage })));
const ActivityPage = lazy(() =>
  import('../features/activity/activity-page.js').then((m) => ({ default: m.ActivityPage })),
);

function Home() {
  const pipelines = usePipelines();
  const first = pipelines.data?.[0];
  useEffect(() => {
    if (first) navigate({ page: 'pipeline', pipeline: first.name }, { replace: true });
  }, [first]);
  if (pipelines.isError) return <ErrorState error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  if (pipelines.isPending || first) return <SkeletonLines lines={4} label="Loading pipelines" />;
  return (
    <EmptyState
      title="No pipelines yet"
      action={
        <a className="btn btn-primary" href={routeHref({ page: 'new-pipeline' })}>
          New pipeline
        </a>
      }
    >
      Create one here for an ECS service, or with <code>slipway pipelines create</code>, then deploy it.
    </EmptyState>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <Home />;
    case 'new-pipeline':
      return <NewPipelinePage />;
    case 'pipeline':
      return <PipelinePage key={route.pipeline} pipeline={route.pipeline} />;
    case 'releases':
      return (
        <ReleasesPage
          key={`${route.pipeline}/${route.environment}`}
          pipeline={route.pipeline}
          environment={route.environment}
          highlight={route.highlight}
          openRollback={route.rollback === true}
        />
      );
    case 'config':
      return (
        <ConfigPage
          key={`${route.pipeline}/${route.environment}`}
          pipeline={route.pipeline}
          environment={route.environment}
        />
      );
    case 'logs':
      return (
        <LogsPage
          key={`${route.pipeline}/${route.environment}`}
          pipeline={route.pipeline}
          environment={route.environment}
        />
      );
    case 'metrics':
      return (
        <MetricsPage
          key={`${route.pipeline}/${route.environment}`}
          pipeline={route.pipeline}
          environment={route.environment}
        />
      );
    case 'activity':
      return <ActivityPage pipeline={route.pipeline} environment={route.environment} />;
    case 'team':
      return <TeamPage />;
    case 'webhooks':
      return <WebhooksPage key={route.pipeline} pipeline={route.pipeline} />;
    case 'not-found':
      return (
        <EmptyState
          title="Nothing here"
          action={
            <a className="btn" href="#/">
              Go to your pipelines
            </a>
          }
        >
          There is no page at <code>{route.path}</code>.
        </EmptyState>
      );
  }
}

export function App() {
  const route = useRoute();
  const info = useSystemInfo();
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar route={route} version={info.data?.version} />
      <div style={{ gridArea: 'header', display: 'flex', flexDirection: 'column' }}>
        <ConnectionBanner />
        <Header route={route} info={info.data} />
      </div>
      <main className="app-main" id="main" tabIndex={-1}>
        <Suspense fallback={<SkeletonLines lines={6} label="Loading view" />}>
          <Page route={route} />
        </Suspense>
        {/* Shells stay open while you look at logs or releases; closing a tab ends its shell. */}
        <TerminalDock />
      </main>
      <TeammateNotices me={info.data?.actor.user} />
      <BackgroundNotices />
    </div>
  );
}
