import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../shared/model.js';
import { mergeDeployments, upsertDeployment } from './hooks.js';

const deployment = (revision: number, step: string): Deployment => ({
  id: 'd1',
  pipeline: 'demo',
  environment: 'staging',
  kind: 'config',
  summary: 'Set FAIL_HEALTHCHECK on staging',
  actor: { user: 'ada' },
  status: 'running',
  revision,
  steps: [{ name: step, status: 'running', at: '2026-11-27T10:00:00Z' }],
  queuedAt: '2026-11-27T10:00:00Z',
});

describe('deployments meeting in the cache', () => {
  it('keeps the step the stream already showed when an older list answer arrives after it', () => {
    const fromStream = [deployment(7, 'Health check')];
    const olderList = [deployment(5, 'Release phase')];
    expect(mergeDeployments(fromStream, olderList)[0]?.steps[0]?.name).toBe('Health check');
  });

  it('takes a newer list answer, and a newer stream event over an older cached copy', () => {
    expect(mergeDeployments([deployment(5, 'Release phase')], [deployment(7, 'Health check')])[0]?.revision).toBe(7);
    expect(upsertDeployment([deployment(5, 'Release phase')], deployment(6, 'Start 2 instances'))[0]?.revision).toBe(6);
    expect(upsertDeployment([deployment(6, 'Start 2 instances')], deployment(5, 'Release phase'))[0]?.revision).toBe(6);
  });
});
