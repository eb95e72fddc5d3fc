// Hash routes: `#/pipelines/new`, `#/pipelines/demo/logs/staging`, `#/pipelines/demo`, `#/pipelines/demo/releases/staging?v=3&rollback=1`, `#/activity?pipeline=demo`.
export type Route =
  | { page: 'home' }
  | { page: 'new-pipeline' }
  | { page: 'pipeline'; pipeline: string }
  | { page: 'releases'; pipeline: string; environment: string; highlight?: number; rollback?: boolean }
  | { page: 'config'; pipeline: string; environment: string }
  | { page: 'logs'; pipeline: string; environment: string }
  | { page: 'metrics'; pipeline: string; environment: string }
  | { page: 'activity'; pipeline?: string; environment?: string }
  | { page: 'team' }
  | { page: 'webhooks'; pipeline: string }
  | { page: 'not-found'; path: string };

const segment = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter(Boolean).map(segment);
  const query = new URLSearchParams(queryPart);

  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'team' && parts.length === 1) return { page: 'team' };
  if (parts[0] === 'activity' && parts.length === 1) {
    const pipeline = query.get('pipeline') ?? undefined;
    const environment = query.get('environment') ?? undefined;
    return {
      page: 'activity',
      ...(pipeline ? { pipeline } : {}),
      ...(pipeline && environment ? { environment } : {}),
    };
  }
  // `new` is the page that creates pipelines, so the form refuses `new` as a pipeline name.
  if (parts[0] === 'pipelines' && parts[1] === 'new' && parts.length === 2) return { page: 'new-pipeline' };
  if (parts[0] === 'pipelines' && parts[1]) {
    const pipeline = parts[1];
    if (parts.length === 2) return { page: 'pipeline', pipeline };
    if (parts.length === 3 && parts[2] === 'webhooks') return { page: 'webhooks', pipeline };
    if (parts.length === 4 && parts[2] === 'releases' && parts[3]) {
      const v = Number(query.get('v'));
      return {
        page: 'releases',
        pipeline,
        environment: parts[3],
        ...(Number.isInteger(v) && v > 0 ? { highlight: v } : {}),
        ...(query.get('rollback') === '1' ? { rollback: true } : {}),
      };
    }
    if (parts.length === 4 && parts[2] === 'config' && parts[3]) {
      return { page: 'config', pipeline, environment: parts[3] };
    }
    if (parts.length === 4 && (parts[2] === 'logs' || parts[2] === 'metrics') && parts[3]) {
      return { page: parts[2], pipeline, environment: parts[3] };
    }
  }
  return { page: 'not-found', path: `/${parts.join('/')}` };
}

export function routeHref(route: Route): string {
  const e = encodeURIComponent;
  switch (route.page) {
    case 'home':
      return '#/';
    case 'new-pipeline':
      return '#/pipelines/new';
    case 'pipeline':
      return `#/pipelines/${e(route.pipeline)}`;
    case 'releases': {
      const query = new URLSearchParams();
      if (route.highlight !== undefined) query.set('v', String(route.highlight));
      if (route.rollback) query.set('rollback', '1');
      const qs = query.toString();
      return `#/pipelines/${e(route.pipeline)}/releases/${e(route.environment)}${qs ? `?${qs}` : ''}`;
    }
    case 'config':
    case 'logs':
    case 'metrics':
      return `#/pipelines/${e(route.pipeline)}/${route.page}/${e(route.environment)}`;
    case 'activity': {
      const query = new URLSearchParams();
      if (route.pipeline) query.set('pipeline', route.pipeline);
      if (route.pipeline && route.environment) query.set('environment', route.environment);
      const qs = query.toString();
      return `#/activity${qs ? `?${qs}` : ''}`;
    }
    case 'team':
      return '#/team';
    case 'webhooks':
      return `#/pipelines/${e(route.pipeline)}/webhooks`;
    case 'not-found':
      return `#${route.path}`;
  }
}
