// One environment's view of AWS: the clients for its (profile, region) and a `send` that turns every
// SDK failure into an AppError naming the IAM action and the resource.
import type { AwsClients, ClientKey } from './clients.js';
import { toAppError } from './errors.js';
import { iamActionFor, type AwsService } from './iam-actions.js';

/** The output type of an SDK v3 command, read from its middleware handler. */
export type OutputOf<C> = C extends {
  resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: infer O }>;
}
  ? O
  : never;

interface Sendable {
  send(command: never): Promise<unknown>;
}

export class AwsSession {
  constructor(
    readonly clients: AwsClients,
    readonly key: ClientKey,
  ) {}

  ecs<C extends object>(command: C, target?: string): Promise<OutputOf<C>> {
    return this.send('ecs', this.clients.ecs, command, target);
  }

  ecr<C extends object>(command: C, target?: string): Promise<OutputOf<C>> {
    return this.send('ecr', this.clients.ecr, command, target);
  }

  logs<C extends object>(command: C, target?: string): Promise<OutputOf<C>> {
    return this.send('logs', this.clients.logs, command, target);
  }

  sts<C extends object>(command: C, target?: string): Promise<OutputOf<C>> {
    return this.send('sts', this.clients.sts, command, target);
  }

  elb<C extends object>(command: C, target?: string): Promise<OutputOf<C>> {
    return this.send('elasticloadbalancing', this.clients.elb, command, target);
  }

  private async send<C extends object>(
    service: AwsService,
    client: object,
    command: C,
    target: string | undefined,
  ): Promise<OutputOf<C>> {
    try {
      // The SDK's overloaded `send` cannot be typed generically; OutputOf<C> restores the type.
      return (await (client as Sendable).send(command as never)) as OutputOf<C>;
    } catch (error) {
      throw toAppError(error, {
        action: iamActionFor(service, command.constructor.name),
        target,
        profile: this.key.profile,
        region: this.key.region,
      });
    }
  }
}
