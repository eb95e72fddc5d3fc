// Prints how many ECS and ELB API calls the aws-ecs provider makes for a workspace-wide refresh of
// 50 pipelines × 2 environments (each behind its own load balancer), against the floor the APIs
// allow. Per-command counts from a cold CLI are in aws-ecs-emulator.ts, on the wire.
// Run: npx esbuild bench/aws-status-calls.ts --bundle --platform=node --format=esm --packages=external --outfile=dist/bench/aws-status-calls.mjs && node dist/bench/aws-status-calls.mjs
import { countCalls, resetCalls } from '../src/main/providers/aws-ecs/testing/call-counts.js';
import { createFakeCloud } from '../src/main/providers/aws-ecs/testing/fake-cloud.js';
import { ecsContext, webTaskDefinition } from '../src/main/providers/aws-ecs/testing/fixtures.js';
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

await dispose();
