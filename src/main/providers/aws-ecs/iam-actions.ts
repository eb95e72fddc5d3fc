// Which IAM actions each SDK command needs. Error messages name the main one, and a test checks that
// docs/iam-policy.json allows every action the provider sends.

/** IAM service prefixes (ELBv2 authorises under `elasticloadbalancing:`). */
export type AwsService = 'ecs' | 'ecr' | 'logs' | 'sts' | 'elasticloadbalancing' | 'cloudwatch';

/** Commands that need more than `<service>:<operation>`. */
const extra: Record<string, readonly string[]> = {
  // Tags passed on register are authorised as a tagging action; the task and execution roles
  // in the definition are handed to ECS.
  'ecs:RegisterTaskDefinition': ['ecs:TagResource', 'iam:PassRole'],
  // Running a definition that has roles hands those roles to ECS.
  'ecs:RunTask': ['iam:PassRole'],
};

/** `DescribeServicesCommand` → `DescribeServices`. */
export function operationOf(commandName: string): string {
  return commandName.replace(/Command$/, '');
}

export function iamActionFor(service: AwsService, commandName: string): string {
  return `${service}:${operationOf(commandName)}`;
}

/** Every IAM action a command may need, the main one first. */
export function iamActionsFor(service: AwsService, commandName: string): string[] {
  const main = iamActionFor(service, commandName);
  return [main, ...(extra[main] ?? [])];
}
