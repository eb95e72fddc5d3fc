// CloudWatch clients for logs, metrics and alarms, one set per (profile, region) like the provider's own.
// StartLiveTail is sent to a separate Logs client: AWS serves it on the `streaming-` host, which the SDK
// prefixes to the endpoint; an emulator or proxy named in AWS_ENDPOINT_URL(_CLOUDWATCH_LOGS) or a
// profile's endpoint_url has no such host, so the prefix is turned off exactly when an endpoint is configured.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, type ClientKey } from '../clients.js';
import { toAppError } from '../errors.js';
import { iamActionFor } from '../iam-actions.js';
import type { OutputOf } from '../session.js';

interface Sendable {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

interface ClientSet {
  readonly cloudwatch: CloudWatchClient;
  liveTail?: Promise<CloudWatchLogsClient>;
}

/** True when the SDK would send Logs calls to an endpoint named in the environment or the profile. */
export async function hasConfiguredEndpoint(client: CloudWatchLogsClient): Promise<boolean> {
  const config = client.config as { isCustomEndpoint?: boolean; serviceConfiguredEndpoint?: () => Promise<unknown> };
  if (config.isCustomEndpoint === true) return true;
  return (await config.serviceConfiguredEndpoint?.()) !== undefined;
}

export class ObservabilityClients {
  private readonly sets = new Map<string, ClientSet>();

  private set(key: ClientKey): ClientSet {
    const id = `${key.profile ?? ''}\u0000${key.region}`;
    let set = this.sets.get(id);
    if (!set) {
      set = { cloudwatch: new CloudWatchClient(clientConfig(key)) };
      this.sets.set(id, set);
    }
    return set;
  }

  /** A CloudWatch call whose failure is an AppError naming the IAM action and what it was about. */
  async cloudwatch<C extends object>(key: ClientKey, command: C, target?: string): Promise<OutputOf<C>> {
    try {
      return (await (this.set(key).cloudwatch as unknown as Sendable).send(command as never)) as OutputOf<C>;
    } catch (error) {
      throw toAppError(error, {
        action: iamActionFor('cloudwatch', command.constructor.name),
        target,
        profile: key.profile,
        region: key.region,
      });
    }
  }

  /** The client StartLiveTail is sent with (see the top of this file). */
  liveTail(key: ClientKey): Promise<CloudWatchLogsClient> {
    const set = this.set(key);
    set.liveTail ??= (async () => {
      const probe = new CloudWatchLogsClient(clientConfig(key));
      const configured = await hasConfiguredEndpoint(probe).finally(() => probe.destroy());
      return new CloudWatchLogsClient({ ...clientConfig(key), ...(configured ? { disableHostPrefix: true } : {}) });
    })();
    return set.liveTail;
  }

  dispose(): void {
    for (const set of this.sets.values()) {
      set.cloudwatch.destroy();
      void set.liveTail?.then((client) => client.destroy());
    }
    this.sets.clear();
  }
}
