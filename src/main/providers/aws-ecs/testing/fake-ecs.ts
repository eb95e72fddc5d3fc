// FakeEcs: the in-memory ECS and CloudWatch Logs model (fake-ecs-model.ts) driven through
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
import { mockClient } from 'aws-sdk-client-mock';
import { FakeEcsModel } from './fake-ecs-model.js';

export { ACCOUNT, awsError, type RunBehaviour } from './fake-ecs-model.js';

export class FakeEcs extends FakeEcsModel {
  readonly ecs = mockClient(ECSClient);
  readonly cwl = mockClient(CloudWatchLogsClient);

  constructor(region = 'eu-west-1') {
    super(region);
    this.install();
  }

  restore(): void {
    this.ecs.restore();
    this.cwl.restore();
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
  }
}
