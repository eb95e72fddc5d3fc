// One environment's view of AWS: the clients for its (profile, region) and a `send` that turns every
// SDK failure into an AppError naming the IAM action and the resource.
import type { AwsClients, ClientKey } from './clients.js';
import { isAppError } from '../../../shared/errors.js';
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

/** Errors of an optional operation that mean "this endpoint does not offer it here". */
const unsupportedCodes = new Set(['PROVIDER_UNAVAILABLE', 'PROVIDER_DENIED']);

/**
 * An endpoint that lacks an operation may answer with a server error (emulators, proxies) that the SDK
 * would retry; inside the retry loop, this turns any failure into one the retry strategy leaves alone.
 */
const noRetry =
  (next: (args: unknown) => Promise<unknown>) =>
  async (args: unknown): Promise<unknown> => {
    try {
      return await next(args);
    } catch (error) {
      const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
      const plain = new Error(typeof e.message === 'string' ? e.message : 'unsupported');
      plain.name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'UnsupportedOperation';
      const status = e.$metadata?.httpStatusCode;
      // 403 stays a refusal; anything else is "not offered here".
      Object.assign(plain, { $metadata: status === 403 ? { httpStatusCode: 403 } : {} });
      throw plain;
    }
  };

export class AwsSession {
  constructor(
    readonly clients: AwsClients,
    readonly key: ClientKey,
    /** Operations this endpoint was found not to offer, remembered for the process. */
    private readonly unsupported: Set<string> = new Set(),
  ) {}

  /**
   * An ECS operation some endpoints lack (the service-deployment API in some regions and emulators):
   * tried once without retries; once it fails it is not asked again in this process and the caller's
   * fallback is used at once. Undefined when unavailable; a missing resource still throws NOT_FOUND.
   */
  async ecsIfSupported<C extends object>(command: C, target?: string): Promise<OutputOf<C> | undefined> {
    const id = [this.key.profile ?? '', this.key.region, command.constructor.name].join('\u0000');
    if (this.unsupported.has(id)) return undefined;
    const stack = (command as { middlewareStack?: { add(m: unknown, o: object): void } }).middlewareStack;
    stack?.add(noRetry, { step: 'deserialize', priority: 'high', name: 'slipwayOptionalOperation' });
    try {
      return await this.ecs(command, target);
    } catch (error) {
      if (!isAppError(error) || !unsupportedCodes.has(error.code)) throw error;
      this.unsupported.add(id);
      return undefined;
    }
  }

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
