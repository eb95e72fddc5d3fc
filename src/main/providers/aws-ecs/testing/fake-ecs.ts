// FakeEcs: the in-memory ECS, CloudWatch Logs and load balancer models (fake-*-model.ts) driven through
// aws-sdk-client-mock, so tests see every call the provider sends and decide outcomes without waiting.
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeEcsModel } from './fake-ecs-model.js';
import { exposeService, FakeElbModel } from './fake-elb-model.js';

export { ACCOUNT, awsError, type RunBehaviour } from './fake-ecs-model.js';

export class FakeEcs extends FakeEcsModel {
  readonly ecs = mockClient(ECSClient);
  readonly cwl = mockClient(CloudWatchLogsClient);
  readonly elbv2 = mockClient(ElasticLoadBalancingV2Client);
  readonly elb: FakeElbModel;

  constructor(region = 'eu-west-1') {
    super(region);
    this.elb = new FakeElbModel(region);
    this.install();
  }

  /** Puts a service behind a new application load balancer at `dnsName`. */
  exposeService(
    cluster: string,
    service: string,
    dnsName: string,
  ): { loadBalancerArn: string; targetGroupArn: string } {
    return exposeService(this, this.elb, { cluster, service, dnsName });
  }

  restore(): void {
    this.ecs.restore();
    this.cwl.restore();
    this.elbv2.restore();
  }

  private install(): void {
    const api = this.ecsApi;
    this.ecs.on(DescribeServicesCommand).callsFake(api.DescribeServices);
    this.ecs.on(UpdateServiceCommand).callsFake(api.UpdateService);
    this.ecs.on(ListServiceDeploymentsCommand).callsFake(api.ListServiceDeployments);
    this.ecs.on(DescribeServiceDeploymentsCommand).callsFake(api.DescribeServiceDeployments);
    this.ecs.on(StopServiceDeploymentCommand).callsFake(api.StopServiceDeployment);
    this.ecs.on(RegisterTaskDefinitionCommand).callsFake(api.RegisterTaskDefinition);
    this.ecs.on(DescribeTaskDefinitionCommand).callsFake(api.DescribeTaskDefinition);
    this.ecs.on(ListTaskDefinitionsCommand).callsFake(api.ListTaskDefinitions);
    this.ecs.on(TagResourceCommand).callsFake(api.TagResource);
    this.ecs.on(UntagResourceCommand).callsFake(api.UntagResource);
    this.ecs.on(ListTasksCommand).callsFake(api.ListTasks);
    this.ecs.on(DescribeTasksCommand).callsFake(api.DescribeTasks);
    this.ecs.on(RunTaskCommand).callsFake(api.RunTask);
    this.ecs.on(StopTaskCommand).callsFake(api.StopTask);
    this.ecs.on(ListClustersCommand).callsFake(api.ListClusters);
    this.ecs.on(ListServicesCommand).callsFake(api.ListServices);
    this.cwl.on(GetLogEventsCommand).callsFake(this.logsApi.GetLogEvents);
    this.elbv2.on(DescribeTargetGroupsCommand).callsFake(this.elb.api.DescribeTargetGroups);
    this.elbv2.on(DescribeLoadBalancersCommand).callsFake(this.elb.api.DescribeLoadBalancers);
  }
}
