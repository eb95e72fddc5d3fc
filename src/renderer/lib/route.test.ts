import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './route.js';

describe('parseRoute', () => {
  it('reads each page', () => {
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/')).toEqual({ page: 'home' });
    expect(parseRoute('#/pipelines/demo')).toEqual({ page: 'pipeline', pipeline: 'demo' });
    expect(parseRoute('#/pipelines/new')).toEqual({ page: 'new-pipeline' });
    expect(parseRoute('#/pipelines/demo/releases/staging')).toEqual({
      page: 'releases',
      pipeline: 'demo',
      environment: 'staging',
    });
    expect(parseRoute('#/pipelines/demo/releases/production?v=3&rollback=1')).toEqual({
      page: 'releases',
      pipeline: 'demo',
      environment: 'production',
      highlight: 3,
      rollback: true,
    });
    expect(parseRoute('#/pipelines/demo/config/staging')).toEqual({
      page: 'config',
      pipeline: 'demo',
      environment: 'staging',
    });
    expect(parseRoute('#/activity?pipeline=demo&environment=staging')).toEqual({
      page: 'activity',
      pipeline: 'demo',
      environment: 'staging',
    });
  });

  it('ignores a bad highlight and an environment filter without a pipeline', () => {
    expect(parseRoute('#/pipelines/demo/releases/staging?v=abc')).toEqual({
      page: 'releases',
      pipeline: 'demo',
      environment: 'staging',
    });
    expect(parseRoute('#/activity?environment=staging')).toEqual({ page: 'activity' });
  });

  it('reports unknown paths', () => {
    expect(parseRoute('#/nowhere/here')).toEqual({ page: 'not-found', path: '/nowhere/here' });
  });

  it('round-trips every route through its href', () => {
    const routes: Route[] = [
      { page: 'home' },
      { page: 'pipeline', pipeline: 'demo' },
      { page: 'new-pipeline' },
      { page: 'releases', pipeline: 'demo', environment: 'production', highlight: 7, rollback: true },
      { page: 'config', pipeline: 'demo', environment: 'staging' },
      { page: 'activity', pipeline: 'demo' },
      { page: 'activity' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });
});
