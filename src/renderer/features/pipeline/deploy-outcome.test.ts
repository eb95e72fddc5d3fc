import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/model.js';
import { abortQuestion, outcomeToShow } from './deploy-outcome.js';

let clock = 0;
const at = () => new Date(Date.UTC(2030, 0, 1, 12, 0, clock++)).toISOString();

function deployment(id: string, status: Deployment['status'], extra: Partial<Deployment> = {}): Deployment {
  const queuedAt = at();
  return {
    id,
    pipeline: 'demo',
    environment: 'staging',
    kind: 'deploy',
    summary: `Deploy ${id} to staging`,
    actor: { user: 'ana' },
    status,
    steps: [],
    queuedAt,
    ...(status === 'succeeded' || status === 'failed' ? { finishedAt: at() } : {}),
    ...extra,
  };
}

describe('outcomeToShow', () => {
  it('keeps a success until a new deployment starts or it is dismissed', () => {
    const done = deployment('a', 'succeeded', { releaseVersion: 5 });
    expect(outcomeToShow([done], 'staging', new Set())).toBe(done);
    expect(outcomeToShow([done], 'production', new Set())).toBeUndefined();
    expect(outcomeToShow([done], 'staging', new Set(['a']))).toBeUndefined();
    expect(outcomeToShow([deployment('b', 'running'), done], 'staging', new Set())).toBeUndefined();
  });

  it('keeps a failure while a new deployment runs, until it is dismissed', () => {
    const failed = deployment('a', 'failed', { error: { code: 'DEPLOY_FAILED', message: 'Aborted by ana' } });
    const running = deployment('b', 'running');
    expect(outcomeToShow([running, failed], 'staging', new Set())).toBe(failed);
    expect(outcomeToShow([running, failed], 'staging', new Set(['a']))).toBeUndefined();
  });

  it('shows the deployment that finished last, not the one queued last', () => {
    const slow = deployment('slow', 'queued');
    const quick = deployment('quick', 'failed');
    const slowDone: Deployment = { ...slow, status: 'succeeded', finishedAt: at() };
    expect(outcomeToShow([quick, slowDone], 'staging', new Set())?.id).toBe('slow');
  });
});

describe('abortQuestion', () => {
  it('names the release being deployed and the one that keeps serving', () => {
    const running = deployment('a', 'running', { environment: 'production', releaseVersion: 7, previousVersion: 6 });
    expect(abortQuestion(running)).toBe('Abort the deploy of v7 to production? v6 keeps serving.');
    expect(abortQuestion({ ...running, releaseVersion: undefined, previousVersion: undefined })).toBe(
      'Abort the deploy to production? Nothing was serving in production, so nothing will.',
    );
  });
});
