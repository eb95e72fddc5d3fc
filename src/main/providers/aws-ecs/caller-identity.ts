// Who an environment's AWS calls are made as: STS GetCallerIdentity, asked once per profile and region
// in a process (a failed look-up is asked again next time), for the activity feed and release tags.
import { whoami } from './discover.js';
import { ecsTarget, type Runtime } from './runtime.js';
import type { EnvironmentContext } from '../provider.js';

export interface CloudCaller {
  readonly account: string;
  readonly arn: string;
}

export function createCallerIdentity(rt: Runtime): { caller(ctx: EnvironmentContext): Promise<CloudCaller> } {
  const cache = new Map<string, Promise<CloudCaller>>();
  return {
    caller(ctx) {
      const { region, profile } = ecsTarget(ctx);
      const key = `${profile ?? ''}\n${region}`;
      let found = cache.get(key);
      if (!found) {
        found = whoami(rt, { region, ...(profile === undefined ? {} : { profile }) }).then(({ account, arn }) => ({
          account,
          arn,
        }));
        found.catch(() => cache.delete(key));
        cache.set(key, found);
      }
      return found;
    },
  };
}
