import { describe, expect, it } from 'vitest';
import type { PublicRelease } from '../../../shared/model.js';
import { releaseImage, shortDigest, shortTaskId, splitTaskDefinition } from './ecs-details-model.js';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

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
