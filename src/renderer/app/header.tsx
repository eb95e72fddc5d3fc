// Where you are, who you act as, and the theme.
import type { SystemInfo } from '../../shared/contract/system.js';
import { MoonIcon, SunIcon } from '../components/icons.js';
import { routeHref, type Route } from '../lib/route.js';
import { useTheme } from './theme.js';

function Crumbs({ route }: { route: Route }) {
  const items: { label: string; href?: string }[] = [];
  if (
    route.page === 'pipeline' ||
    route.page === 'releases' ||
    route.page === 'config' ||
    route.page === 'logs' ||
    route.page === 'metrics'
  ) {
    items.push({ label: route.pipeline, href: routeHref({ page: 'pipeline', pipeline: route.pipeline }) });
    if (route.page === 'releases') items.push({ label: `${route.environment} releases` });
    if (route.page === 'config') items.push({ label: `${route.environment} config` });
    if (route.page === 'logs') items.push({ label: `${route.environment} logs` });
    if (route.page === 'metrics') items.push({ label: `${route.environment} metrics` });
  } else if (route.page === 'activity') {
    items.push({ label: 'Activity' });
  } else if (route.page === 'webhooks') {
    items.push({ label: route.pipeline, href: routeHref({ page: 'pipeline', pipeline: route.pipeline }) });
    items.push({ label: 'webhooks' });
  } else if (route.page === 'team') {
    items.push({ label: 'Team workspace' });
  }
  if (items.length === 0) return <div className="breadcrumbs" />;
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      {items.map((item, i) => {
        const last = i === items.length - 1;
        return (
          <span key={item.label} style={{ display: 'contents' }}>
            {i > 0 ? <span aria-hidden="true">/</span> : null}
            {last || !item.href ? (
              <span aria-current={last ? 'page' : undefined}>{item.label}</span>
            ) : (
              <a href={item.href}>{item.label}</a>
            )}
          </span>
        );
      })}
    </nav>
  );
}

export function Header({ route, info }: { route: Route; info: SystemInfo | undefined }) {
  const { theme, toggle } = useTheme();
  const nextTheme = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="app-header">
      <Crumbs route={route} />
      <div className="header-spacer" />
      {info ? (
        <div className="actor-chip" data-testid="acting-as" title={`Actions are recorded as ${info.actor.user}`}>
          <span className="avatar" aria-hidden="true">
            {info.actor.user.slice(0, 2)}
          </span>
          <span>
            Acting as <strong style={{ color: 'var(--text)' }}>{info.actor.user}</strong>
            {info.actor.email ? <span className="faint"> · {info.actor.email}</span> : null}
          </span>
        </div>
      ) : null}
      <button
        type="button"
        className="btn btn-ghost btn-icon"
        onClick={toggle}
        aria-label={`Switch to ${nextTheme} theme`}
        title={`Switch to ${nextTheme} theme`}
        data-testid="theme-toggle"
      >
        {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
      </button>
    </header>
  );
}
