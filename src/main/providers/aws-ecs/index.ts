// The aws-ecs provider's public surface: the factory, and the extra operations the router wires up.
export { createAwsEcsProvider, type AwsEcsProvider } from './provider.js';
export type { AwsEcsOptions } from './runtime.js';
export { defaultClientFactory, type AwsClients, type ClientFactory, type ClientKey } from './clients.js';
export type { StatusOutcome } from './status.js';
export type { SafetyChange } from './deployment-safety.js';
export type { AbortResult } from './rollout.js';
export type { OneOffResult } from './one-off-task.js';
export type { DiscoveredCluster, DiscoveredService, WhoAmI } from './discover.js';
export { iamActionsFor } from './iam-actions.js';
