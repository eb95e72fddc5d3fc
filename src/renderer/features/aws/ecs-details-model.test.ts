import { describe, expect, it } from 'vitest';
import type { PublicRelease } from '../../../shared/model.js';
import { parseEcsDetails, releaseImage, shortDigest, shortTaskId, splitTaskDefinition } from './ecs-details-model.js';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('parseEcsDetails', () => {
  it('reads what the ECS provider reports', () => {
    const details = parseEcsDetails({
      cluster: 'production',
      service: 'shop-web',
      region: 'eu-west-1',
      taskDefinition: 'shop-web-production:3',
      desiredCount: 2,
      runningCount: 1,
      pendingCount: 1,
      rollout: 'IN_PROGRESS',
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'PRIMARY',
          taskDefinition: 'shop-web-production:3',
          version: 2,
          rolloutState: 'IN_PROGRESS',
          desired: 2,
          running: 1,
          pending: 1,
          failed: 0,
        },
        {
          id: 'ecs-svc/0',
          status: 'ACTIVE',
          taskDefinition: 'shop-web-production:2',
          rolloutState: 'COMPLETED',
          desired: 2,
          running: 2,
          pending: 0,
          failed: 0,
        },
      ],
      events: [{ at: '2025-01-01T00:00:00.000Z', message: '(service shop-web) has reached a steady state.' }],
    });
    expect(details).toMatchObject({ runningCount: 1, pendingCount: 1, taskDefinition: 'shop-web-production:3' });
    expect(details?.deployments.map((d) => [d.status, d.rolloutState, d.version])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', 2],
      ['ACTIVE', 'COMPLETED', undefined],
    ]);
  });

  it('fills counts and lists it cannot read rather than failing the column', () => {
    const details = parseEcsDetails({ cluster: 'c', desiredCount: 'two', deployments: 'none' });
    expect(details).toMatchObject({ desiredCount: 0, runningCount: 0, deployments: [], events: [] });
  });

  it('gives up on details that are not an object', () => {
    expect(parseEcsDetails(undefined)).toBeUndefined();
    expect(parseEcsDetails('ECS')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('shortens an image digest and refuses a moving tag', () => {
    expect(shortDigest(`123.dkr.ecr.eu-west-1.amazonaws.com/shop@${digest}`)).toBe('sha256:0123456789ab');
    expect(shortDigest('123.dkr.ecr.eu-west-1.amazonaws.com/shop:latest')).toBeUndefined();
  });

  it('splits a task definition at its last colon', () => {
    expect(splitTaskDefinition('shop-web-production:12')).toEqual({ family: 'shop-web-production', revision: '12' });
    expect(splitTaskDefinition('shop-web')).toEqual({ family: 'shop-web', revision: undefined });
  });

  it('shortens ECS task ids only', () => {
    expect(shortTaskId('0123456789abcdef0123456789abcdef')).toBe('01234567');
    expect(shortTaskId('web.1')).toBe('web.1');
  });

  it('picks the image of a release pinned by digest', () => {
    const release = {
      artifact: { kind: 'images', images: { sidecar: `envoy@${digest}`, app: `shop@${digest}` } },
    } as unknown as PublicRelease; // only the artifact matters here
    expect(releaseImage(release)).toBe(`shop@${digest}`);
    expect(releaseImage(undefined)).toBeUndefined();
  });
});
