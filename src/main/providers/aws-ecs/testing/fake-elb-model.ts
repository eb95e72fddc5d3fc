// A small model of Elastic Load Balancing v2: application load balancers with DNS names and the target
// groups they forward to, with the two read operations Slipway uses and their documented limits
// (20 load balancer ARNs a call, pages of at most 400 target groups, one unknown ARN fails the call).
import type { LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACCOUNT, awsError, type FakeEcsModel } from './fake-ecs-model.js';

interface Page {
  readonly Marker?: string;
  readonly PageSize?: number;
}

function paged<T>(items: readonly T[], input: Page): { page: T[]; NextMarker?: string } {
  const size = input.PageSize ?? 400;
  if (size < 1 || size > 400) throw awsError('ValidationError', 'PageSize must be between 1 and 400.');
  const start = input.Marker === undefined ? 0 : Number(input.Marker);
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, NextMarker: String(start + size) } : { page };
}

export class FakeElbModel {
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly loadBalancers = new Map<string, LoadBalancer>();
  private seq = 0;

  constructor(readonly region: string) {}

  private arn(kind: string, name: string): string {
    this.seq += 1;
    const id = this.seq.toString(16).padStart(16, '0');
    return `arn:aws:elasticloadbalancing:${this.region}:${ACCOUNT}:${kind}/${name}/${id}`;
  }

  /** An internet-facing application load balancer at `dnsName`, forwarding to a new HTTP target group. */
  addLoadBalancer(name: string, dnsName: string): { loadBalancerArn: string; targetGroupArn: string } {
    const loadBalancerArn = this.arn('loadbalancer/app', name);
    const targetGroupArn = this.arn('targetgroup', name.slice(0, 32));
    this.loadBalancers.set(loadBalancerArn, {
      LoadBalancerArn: loadBalancerArn,
      LoadBalancerName: name,
      DNSName: dnsName,
      Scheme: 'internet-facing',
      Type: 'application',
      State: { Code: 'active' },
      IpAddressType: 'ipv4',
      CreatedTime: new Date(Date.UTC(2024, 5, 1)),
    });
    this.targetGroups.set(targetGroupArn, {
      TargetGroupArn: targetGroupArn,
      TargetGroupName: name.slice(0, 32),
      Protocol: 'HTTP',
      Port: 8080,
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
      LoadBalancerArns: [loadBalancerArn],
    });
    return { loadBalancerArn, targetGroupArn };
  }

  /** ELBv2 operations by name, as the SDK and the query protocol call them. */
  readonly api = {
    DescribeTargetGroups: (input: { TargetGroupArns?: string[] } & Page) => {
      const arns = input.TargetGroupArns ?? [...this.targetGroups.keys()];
      const found = arns.map((arn) => this.targetGroups.get(arn));
      if (found.some((tg) => tg === undefined))
        throw awsError('TargetGroupNotFoundException', 'One or more target groups not found');
      const { page, NextMarker } = paged(found as TargetGroup[], input);
      return { TargetGroups: structuredClone(page), ...(NextMarker === undefined ? {} : { NextMarker }) };
    },
    DescribeLoadBalancers: (input: { LoadBalancerArns?: string[] } & Page) => {
      if ((input.LoadBalancerArns ?? []).length > 20)
        throw awsError(
          'ValidationError',
          "1 validation error detected: Value at 'loadBalancerArns' failed to satisfy constraint: Member must have length less than or equal to 20",
        );
      const arns = input.LoadBalancerArns ?? [...this.loadBalancers.keys()];
      const found = arns.map((arn) => this.loadBalancers.get(arn));
      if (found.some((lb) => lb === undefined))
        throw awsError('LoadBalancerNotFoundException', 'One or more load balancers not found');
      const { page, NextMarker } = paged(found as LoadBalancer[], input);
      return { LoadBalancers: structuredClone(page), ...(NextMarker === undefined ? {} : { NextMarker }) };
    },
  };
}

/** Puts an ECS service behind a new load balancer at `dnsName`, as a team wires one up in the console. */
export function exposeService(
  ecs: FakeEcsModel,
  elb: FakeElbModel,
  at: { cluster: string; service: string; dnsName: string },
): { loadBalancerArn: string; targetGroupArn: string } {
  const service = ecs.service(at.cluster, at.service);
  if (!service) throw new Error(`No service ${at.service} in cluster ${at.cluster}.`);
  const created = elb.addLoadBalancer(`${at.cluster}-${at.service}`, at.dnsName);
  const container = ecs.taskDefinitions.get(service.taskDefinition ?? '')?.td.containerDefinitions?.[0];
  service.loadBalancers = [
    ...(service.loadBalancers ?? []),
    { targetGroupArn: created.targetGroupArn, containerName: container?.name ?? 'app', containerPort: 8080 },
  ];
  return created;
}
