// One provider object per kind, made on first use; the AWS SDK is only loaded for AWS pipelines.
import type { ProviderKind } from '../../shared/model.js';
import type { Provider } from './provider.js';

export type ProviderFactory = () => Promise<Provider>;

export interface ProviderRegistry {
  get(kind: ProviderKind): Promise<Provider>;
  dispose(): Promise<void>;
}

export function defaultProviderFactories(home: string): Record<ProviderKind, ProviderFactory> {
  return {
    local: async () => (await import('./local/index.js')).createLocalProvider({ home }),
    'aws-ecs': async () => (await import('./aws-ecs/index.js')).createAwsEcsProvider({ home }),
  };
}

export function createProviderRegistry(factories: Record<ProviderKind, ProviderFactory>): ProviderRegistry {
  const made = new Map<ProviderKind, Promise<Provider>>();
  return {
    get(kind) {
      let provider = made.get(kind);
      if (!provider) {
        provider = factories[kind]();
        made.set(kind, provider);
      }
      return provider;
    },
    async dispose() {
      const providers = await Promise.allSettled(made.values());
      made.clear();
      await Promise.allSettled(providers.map((p) => (p.status === 'fulfilled' ? p.value.dispose() : undefined)));
    },
  };
}
