// The AWS emulator answers with the SDK clients Slipway builds (AWS_ENDPOINT_URL honoured).
import { describe, expect, it } from 'vitest';
import { createRuntime } from './runtime.js';

describe('AWS emulator', () => {
  it('answers whoami through the provider clients', async () => {
    const { whoami } = await import('./discover.js');
    const rt = createRuntime({});
    const me = await whoami(rt, { region: 'us-east-1' });
    expect(me.account).toBe('123456789012');
    rt.pool.dispose();
  });
});
