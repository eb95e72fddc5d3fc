// AWS clients, one set per (profile, region). Credentials are resolved by the SDK's own chain inside
// these clients and never leave this module.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClients {
  readonly ecs: ECSClient;
  readonly ecr: ECRClient;
  readonly logs: CloudWatchLogsClient;
  readonly sts: STSClient;
  /** Only read: the DNS name of a service's load balancer, for the environment's address. */
  readonly elb: ElasticLoadBalancingV2Client;
}

export interface ClientKey {
  readonly profile?: string | undefined;
  readonly region: string;
}

export type ClientFactory = (key: ClientKey) => AwsClients;

/**
 * The configuration every client gets. No `endpoint` on purpose: the SDK then reads
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, so Slipway can be pointed at an emulator.
 * `profile` makes the default chain (env, SSO, ini, process, IMDS) read that profile.
 * Adaptive retry backs off and rate-limits the client when ECS throttles a busy account.
 */
export function clientConfig(key: ClientKey): {
  region: string;
  profile?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
} {
  return {
    region: key.region,
    ...(key.profile === undefined ? {} : { profile: key.profile }),
    retryMode: 'adaptive',
    maxAttempts: 6,
  };
}

export const defaultClientFactory: ClientFactory = (key) => {
  const config = clientConfig(key);
  return {
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    logs: new CloudWatchLogsClient(config),
    sts: new STSClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
  };
};

/** Clients are reused per (profile, region); destroying them closes their sockets. */
export class ClientPool {
  private readonly clients = new Map<string, AwsClients>();

  constructor(private readonly factory: ClientFactory) {}

  get(key: ClientKey): AwsClients {
    const id = `${key.profile ?? ''}\u0000${key.region}`;
    let clients = this.clients.get(id);
    if (!clients) {
      clients = this.factory({ profile: key.profile, region: key.region });
      this.clients.set(id, clients);
    }
    return clients;
  }

  dispose(): void {
    for (const clients of this.clients.values()) {
      clients.ecs.destroy();
      clients.ecr.destroy();
      clients.logs.destroy();
      clients.sts.destroy();
      clients.elb.destroy();
    }
    this.clients.clear();
  }
}
