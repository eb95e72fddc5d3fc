// Prints how many ECS API calls the aws-ecs provider makes for a workspace-wide refresh of
// 50 pipelines × 2 environments, against the floor ECS allows, and per promote and rollback.
// Run: npx esbuild bench/aws-status-calls.ts --bundle --platform=node --format=esm --packages=external --outfile=dist/bench/aws-status-calls.mjs && node dist/bench/aws-status-calls.mjs
import { createAwsEcsProvider } from '../src/main/providers/aws-ecs/provider.js';
import { countCalls, measure } from '../src/main/providers/aws-ecs/testing/call-counts.js';
import { FakeEcs } from '../src/main/providers/aws-ecs/testing/fake-ecs.js';
import {
  actor,
  DIGEST_B,
  ecsContext,
  fastPolling,
  IMAGE_REPO,
  recorder,
  webTaskDefinition,
} from '../src/main/providers/aws-ecs/testing/fixtures.js';

const PIPELINES = 50;
const cloud = new FakeEcs();
const contexts = [];
for (let i = 0; i < PIPELINES; i++) {
  for (const env of ['staging', 'production']) {
    const service = `app-${i}-${env}`;
    cloud.addService(env, service, webTaskDefinition(service));
    contexts.push(ecsContext({ environment: env, cluster: env, service }));
  }
}
const provider = createAwsEcsProvider(fastPolling);

cloud.ecs.resetHistory();
await provider.statusMany(contexts);
const cold = countCalls(cloud);
cloud.ecs.resetHistory();
await provider.statusMany(contexts);
const warm = countCalls(cloud);

const services = contexts.length;
const tasks = cloud.tasks.size;
const clusters = 2;
const floor = {
  DescribeServices: clusters * Math.ceil(services / clusters / 10),
  ListTasks: services,
  DescribeTasks: clusters * Math.ceil(tasks / clusters / 100),
  DescribeTaskDefinition: services,
};
console.log(
  `Workspace refresh: ${PIPELINES} pipelines × 2 environments = ${services} services, ${tasks} tasks, ${clusters} clusters`,
);
console.log('operation               cold   warm   floor (cold)');
for (const op of Object.keys(floor) as (keyof typeof floor)[]) {
  console.log(
    `${op.padEnd(22)} ${String(cold[op] ?? 0).padStart(5)} ${String(warm[op] ?? 0).padStart(6)} ${String(floor[op]).padStart(7)}`,
  );
}

const staging = contexts[0];
const production = contexts[1];
if (!staging || !production) throw new Error('no contexts');
const spec = {
  kind: 'deploy' as const,
  artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
  config: {},
  actor,
  description: 'Deploy',
};
const signal = new AbortController().signal;
const fresh = createAwsEcsProvider(fastPolling);
const source = await fresh.createRelease(staging, spec);
const promote = await measure(cloud, async () => {
  const release = await fresh.createRelease(production, {
    ...spec,
    kind: 'promote',
    source: { environment: 'staging', version: source.version },
  });
  await fresh.rollout(production, release, recorder(), signal);
});
await fresh.setReleaseStatus(production, 1, 'succeeded');
const v2 = await fresh.createRelease(production, spec);
await fresh.rollout(production, v2, recorder(), signal);
await fresh.setReleaseStatus(production, v2.version, 'succeeded');
const rollback = await measure(cloud, async () => {
  const old = await fresh.getRelease(production, 1);
  if (!old) throw new Error('v1 missing');
  const release = await fresh.createRelease(production, {
    ...old,
    kind: 'rollback',
    actor,
    description: 'Rollback',
    source: { environment: production.environment.name, version: 1 },
  });
  await fresh.rollout(production, release, recorder(), signal);
});
console.log(`\npromote (cold cache, polling aside): ${promote.total} ECS calls (target ≤ 5)`, promote.byOperation);
console.log(`rollback (polling aside):            ${rollback.total} ECS calls (target ≤ 5)`, rollback.byOperation);

await provider.dispose();
await fresh.dispose();
cloud.restore();
