// useStandIn(): the HTTP stand-in for the AWS account, started once for a test file, with this
// process's environment pointing the real AWS SDK clients at it; both undone after the file.
import { afterAll, beforeAll } from 'vitest';
import { standInClientEnv } from '../standin/client-env.js';
import { startStandIn, type StandIn, type StandInOptions } from '../standin/server.js';

export function useStandIn(options: StandInOptions = {}): Omit<StandIn, 'dispose'> {
  let current: StandIn | undefined;
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    current = await startStandIn(options);
    const env = standInClientEnv(current.endpoint);
    for (const key of [...Object.keys(env), 'AWS_PROFILE']) saved.set(key, process.env[key]);
    // The SDK reads its endpoint and credentials from the process environment.
    Object.assign(process.env, env);
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    await current?.dispose();
    current = undefined;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const now = (): StandIn => {
    if (!current) throw new Error('useStandIn() starts before the tests: read it inside a test or a hook.');
    return current;
  };
  return {
    get endpoint() {
      return now().endpoint;
    },
    get ecs() {
      return now().ecs;
    },
    get ecr() {
      return now().ecr;
    },
    get elb() {
      return now().elb;
    },
    get demo() {
      return now().demo;
    },
    get calls() {
      return now().calls;
    },
  };
}
