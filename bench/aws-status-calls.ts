// Prints how many ECS and ELB API calls the aws-ecs provider makes for a workspace-wide refresh of
// 50 pipelines × 2 environments (each behind its own load balancer), against the floor the APIs
// allow, and per promote and rollback.
// Run: npx esbuild bench/aws-status-calls.ts --bundle --platform=node --format=esm --packages=external --outfile=dist/bench/aws-status-calls.mjs && node dist/bench/aws-status-calls.mjs
import { createAwsEcsProvider } from '../src/main/providers/aws-ecs/provider.js';
import { countCalls, measure, resetCalls } from '../src/main/providers/aws-ecs/testing/call-counts.js';
import { createFakeCloud } from '../src/main/providers/aws-ecs/testing/fake-cloud.js';
import {
  deploySpec,
  ecsContext,
  fastPolling,
  webTaskDefinition,
} from '../src/main/providers/aws-ecs/testing/fixtures.js';
import { deploy, promote, rollBack } from '../src/main/providers/aws-ecs/testing/flows.js';
import { LOAD_BALANCERS_PER_CALL, TARGET_GROUPS_PER_CALL } from '../src/main/providers/aws-ecs/load-balancer-cache.js';

const PIPELINES = 50;
const { cloud, provider, dispose } = createFakeCloud();
const contexts = [];
for (let i = 0; i < PIPELINES; i++) {
  for (const env of ['staging', 'production']) {
    const service = `app-${i}-${env}`;
    cloud.addService(env, service, webTaskDefinition(service));
    cloud.exposeService(env, service, `${service}-1234567890.eu-west-1.elb.amazonaws.com`);
    contexts.push(ecsContext({ environment: env, cluster: env, service }));
  }
}

resetCalls(cloud);
await provider.statusMany(contexts);
const cold = countCalls(cloud);
resetCalls(cloud);
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
  DescribeTargetGroups: Math.ceil(cloud.elb.targetGroups.size / TARGET_GROUPS_PER_CALL),
  DescribeLoadBalancers: Math.ceil(cloud.elb.loadBalancers.size / LOAD_BALANCERS_PER_CALL),
};
console.log(
  `Workspace refresh: ${PIPELINES} pipelines × 2 environments = ${services} services, ${tasks} tasks, ${clusters} clusters, ` +
    `${cloud.elb.targetGroups.size} target groups, ${cloud.elb.loadBalancers.size} load balancers`,
);
console.log('operation               cold   warm   floor (cold; warm floor is 0 for the ELB reads)');
for (const op of Object.keys(floor) as (keyof typeof floor)[]) {
  console.log(
    `${op.padEnd(22)} ${String(cold[op] ?? 0).padStart(5)} ${String(warm[op] ?? 0).padStart(6)} ${String(floor[op]).padStart(7)}`,
  );
}

const staging = contexts[0];
const production = contexts[1];
if (!staging || !production) throw new Error('no contexts');
const fresh = createAwsEcsProvider(fastPolling);
const source = await fresh.createRelease(staging, deploySpec);
const promoted = await measure(cloud, () => promote(fresh, production, { environment: 'staging', release: source }));
await fresh.setReleaseStatus(production, 1, 'succeeded');
await deploy(fresh, production);
const rolledBack = await measure(cloud, () => rollBack(fresh, production, 1));
console.log(`\npromote (cold cache, polling aside): ${promoted.total} ECS calls (target ≤ 5)`, promoted.byOperation);
console.log(`rollback (polling aside):            ${rolledBack.total} ECS calls (target ≤ 5)`, rolledBack.byOperation);

await fresh.dispose();
await dispose();
