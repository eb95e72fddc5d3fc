// Procedures that run commands ask the person first, in the main process: a window's call without a
// confirmation from main is refused before its handler runs; the CLI's own command line is the gesture.
import { describe, expect, it } from 'vitest';
import type { ProcedureHandlers, StreamHandlers } from './router.js';
import { createRouter } from './router.js';
import { commandGestureFor } from './command-gesture.js';

function fixture() {
  const ran: string[] = [];
  const handlers = {
    run: async (args: { command: string[] }) => {
      ran.push(args.command.join(' '));
      return { exitCode: 0, output: [] };
    },
  } as unknown as ProcedureHandlers;
  return { ran, router: createRouter(handlers, {} as StreamHandlers) };
}
const runInput = { pipeline: 'shop', environment: 'staging', command: ['rake', 'db:migrate'] };

describe('command gesture', () => {
  it('refuses a window call that main did not confirm, and runs nothing', async () => {
    const { ran, router } = fixture();
    const result = await router.call('run', runInput, { transport: 'ipc' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/confirm/i) },
    });
    const declined = await router.call('run', runInput, { transport: 'ipc', confirm: async () => false });
    expect(declined).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(ran).toEqual([]);
  });

  it('runs once main confirmed, showing the person the command and where it runs', async () => {
    const { ran, router } = fixture();
    const asked: string[] = [];
    const result = await router.call('run', runInput, {
      transport: 'ipc',
      confirm: async (gesture) => {
        asked.push(`${gesture.where}: ${gesture.command}`);
        return true;
      },
    });
    expect(result.ok).toBe(true);
    expect(asked).toEqual(['shop/staging: rake db:migrate']);
    expect(ran).toEqual(['rake db:migrate']);
  });

  it('takes the CLI command line as the gesture', async () => {
    const { ran, router } = fixture();
    expect((await router.call('run', runInput, { transport: 'cli' })).ok).toBe(true);
    expect(ran).toEqual(['rake db:migrate']);
  });

  it('covers exec tickets and release commands, and nothing else', () => {
    const env = { pipeline: 'shop', environment: 'staging' };
    expect(commandGestureFor('terminal.ticket', { ...env, cols: 80, rows: 24 })?.command).toMatch(/shell/);
    expect(
      commandGestureFor('pipelines.create', {
        name: 'shop',
        releaseCommand: 'rake db:migrate',
        environments: [],
      })?.command,
    ).toBe('rake db:migrate');
    expect(commandGestureFor('pipelines.create', { name: 'shop', environments: [] })).toBeUndefined();
    expect(commandGestureFor('deploy', { ...env, ref: 'main' })).toBeUndefined();
  });
});
