// `pipelines.status` details in the contract: one shape per provider kind, checked on the way out.
import { describe, expect, it } from 'vitest';
import { environmentStatusSchema } from './model.js';
import { ecsDetailsOf, providerDetailsSchema } from './provider-details.js';

const ecs = {
  kind: 'aws-ecs',
  cluster: 'production',
  service: 'shop-web',
  region: 'eu-west-1',
  taskDefinition: 'shop-web-production:3',
  desiredCount: 2,
  runningCount: 1,
  pendingCount: 1,
  rollout: 'IN_PROGRESS',
  deploymentSafety: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    circuitBreaker: { enable: true, rollback: true },
    safe: true,
  },
  deployments: [
    { id: 'ecs-svc/1', status: 'PRIMARY', version: 2, desired: 2, running: 1, pending: 1, failed: 0 },
    { id: 'ecs-svc/0', status: 'ACTIVE', desired: 2, running: 2, pending: 0, failed: 0 },
  ],
  events: [{ at: '2025-01-01T00:00:00.000Z', message: '(service shop-web) has reached a steady state.' }],
};

describe('provider details', () => {
  it('reads the ECS facts, and narrows to them by kind', () => {
    const details = providerDetailsSchema.parse(ecs);
    expect(ecsDetailsOf(details)?.deployments.map((d) => [d.status, d.version])).toEqual([
      ['PRIMARY', 2],
      ['ACTIVE', undefined],
    ]);
    expect(ecsDetailsOf(providerDetailsSchema.parse({ kind: 'local', servingVersion: 3 }))).toBeUndefined();
  });

  it('refuses details without a known kind, or not of their kind’s shape', () => {
    const { kind: _kind, ...untagged } = ecs;
    for (const bad of [
      untagged,
      { ...ecs, kind: 'gcp' },
      { ...ecs, desiredCount: 'two' },
      { kind: 'local', proxyPid: 'x' },
    ]) {
      expect(providerDetailsSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 60)).toBe(false);
    }
    const status = { pipeline: 'shop', environment: 'production', provider: 'aws-ecs', instances: [] };
    expect(environmentStatusSchema.safeParse({ ...status, details: { cluster: 'c' } }).success).toBe(false);
    expect(environmentStatusSchema.parse({ ...status, details: ecs }).details).toEqual(ecs);
  });
});
