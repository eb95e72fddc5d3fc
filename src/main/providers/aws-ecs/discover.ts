// Who the credentials are, and which clusters and services they can see: the "add environment" form.
import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { chunk, mapLimit } from './async-util.js';
import type { ClientKey } from './clients.js';
import { familyOfArn, revisionOfArn, type Runtime } from './runtime.js';
import type { AwsSession } from './session.js';

export interface WhoAmI {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
  readonly profile?: string | undefined;
  readonly region: string;
}

export async function whoami(rt: Runtime, key: ClientKey): Promise<WhoAmI> {
  const out = await rt.session(key).sts(new GetCallerIdentityCommand({}), 'the caller identity');
  return {
    account: out.Account ?? '',
    arn: out.Arn ?? '',
    userId: out.UserId ?? '',
    ...(key.profile === undefined ? {} : { profile: key.profile }),
    region: key.region,
  };
}

export interface DiscoveredService {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly taskDefinition?: string | undefined;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly launchType?: string | undefined;
}

export interface DiscoveredCluster {
  readonly name: string;
  readonly arn: string;
  readonly services: DiscoveredService[];
}

async function pages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.next;
  } while (token !== undefined);
  return all;
}

const nameOfArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

async function clusterServices(session: AwsSession, clusterArn: string): Promise<DiscoveredService[]> {
  const arns = await pages(async (nextToken) => {
    const out = await session.ecs(
      new ListServicesCommand({ cluster: clusterArn, nextToken, maxResults: 100 }),
      `services in cluster ${nameOfArn(clusterArn)}`,
    );
    return { items: out.serviceArns ?? [], next: out.nextToken };
  });
  const services: DiscoveredService[] = [];
  for (const batch of chunk(arns, 10)) {
    const out = await session.ecs(
      new DescribeServicesCommand({ cluster: clusterArn, services: batch }),
      `services in cluster ${nameOfArn(clusterArn)}`,
    );
    for (const s of out.services ?? []) {
      const td = s.taskDefinition;
      services.push({
        name: s.serviceName ?? nameOfArn(s.serviceArn ?? ''),
        arn: s.serviceArn ?? '',
        status: s.status ?? 'UNKNOWN',
        taskDefinition: td === undefined ? undefined : `${familyOfArn(td)}:${revisionOfArn(td) ?? '?'}`,
        desiredCount: s.desiredCount ?? 0,
        runningCount: s.runningCount ?? 0,
        launchType: s.capacityProviderStrategy?.length ? 'capacity provider' : s.launchType,
      });
    }
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}

export async function discover(rt: Runtime, key: ClientKey): Promise<DiscoveredCluster[]> {
  const session = rt.session(key);
  const clusterArns = await pages(async (nextToken) => {
    const out = await session.ecs(new ListClustersCommand({ nextToken, maxResults: 100 }), `clusters in ${key.region}`);
    return { items: out.clusterArns ?? [], next: out.nextToken };
  });
  const clusters = await mapLimit(clusterArns, 4, async (arn) => ({
    name: nameOfArn(arn),
    arn,
    services: await clusterServices(session, arn),
  }));
  return clusters.sort((a, b) => a.name.localeCompare(b.name));
}
