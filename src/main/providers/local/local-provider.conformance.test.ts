import { z } from 'zod';
import { describeProviderConformance } from '../conformance.js';
import { createLocalProvider } from './local-provider.js';
import { createTestWorkspace, getJson } from './test-support.js';

const healthSchema = z.object({ release: z.string().nullable(), commit: z.string() });

describeProviderConformance('local', async () => {
  const workspace = await createTestWorkspace();
  const ctx = workspace.ctx('staging');
  const provider = createLocalProvider({ home: workspace.home });
  const port = ctx.environment.target.provider === 'local' ? ctx.environment.target.port : 0;
  return {
    provider,
    ctx,
    ref: 'HEAD',
    badRef: 'no-such-branch',
    unhealthyConfig: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    async readServing() {
      const health = healthSchema.parse(await getJson(`http://127.0.0.1:${port}/healthz`));
      return { version: health.release === null ? undefined : Number(health.release), sha: health.commit };
    },
    async dispose() {
      await provider.dispose();
      await workspace.dispose();
    },
  };
});
