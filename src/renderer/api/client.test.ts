import { describe, expect, it } from 'vitest';
import type { SlipwayBridge } from '../../shared/contract/bridge.js';
import { AppError, type Result } from '../../shared/errors.js';
import { createClient } from './client.js';

const fakeBridge = (answer: Result<unknown>, events: unknown[] = []): SlipwayBridge => ({
  call: () => Promise.resolve(answer),
  subscribe: (_name, _input, onEvent, onEnd) => {
    for (const event of events) onEvent(event);
    onEnd({ code: 'UNAUTHORIZED', message: 'The session ended; open the link Slipway printed again.' });
    return () => undefined;
  },
  open: (_name, _input, onEvent) => {
    for (const event of events) onEvent(event);
    return { send: () => undefined, close: () => undefined };
  },
});

describe('createClient', () => {
  it('returns outputs parsed by the contract', async () => {
    const client = createClient(
      fakeBridge({
        ok: true,
        value: [{ name: 'demo', environments: [{ name: 'staging', provider: 'local' }], extra: 1 }],
      }),
    );
    // Fields the contract does not name are dropped.
    await expect(client.call('pipelines.list', {})).resolves.toEqual([
      { name: 'demo', environments: [{ name: 'staging', provider: 'local' }] },
    ]);
  });

  it('rebuilds the AppError of an error envelope', async () => {
    const client = createClient(
      fakeBridge({
        ok: false,
        error: { code: 'CONFLICT', message: 'staging has no release to promote.', details: { env: 'staging' } },
      }),
    );
    const error = await client
      .call('promote', { pipeline: 'demo', from: 'staging', to: 'production' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: 'staging has no release to promote.',
      details: { env: 'staging' },
    });
  });

  it('refuses an output that does not match the contract', async () => {
    const client = createClient(fakeBridge({ ok: true, value: { version: 3 } }));
    await expect(client.call('system.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('passes on stream events that match the contract and skips the rest', () => {
    const event = {
      id: 'e1',
      at: '2025-01-01T00:00:00Z',
      actor: { user: 'ana' },
      action: 'deploy',
      pipeline: 'demo',
      result: 'succeeded',
      summary: 'Deploy 1a2b3c4 to staging',
    };
    const client = createClient(fakeBridge({ ok: true, value: null }, [event, { id: 'broken' }]));
    const seen: unknown[] = [];
    const ends: unknown[] = [];
    client.subscribe(
      'activity.watch',
      {},
      (e) => seen.push(e),
      (err) => ends.push(err),
    );
    expect(seen).toEqual([event]);
    expect(ends[0]).toBeInstanceOf(AppError);
    expect(ends[0]).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
