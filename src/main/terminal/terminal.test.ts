// The exec terminal end to end in the main process: a real local environment, the real router and
// loopback socket, a real shell under a pty. Processes are checked by pid.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_PATH } from '../../shared/contract/bridge.js';
import type { ServerMessage } from '../../shared/contract/wire.js';
import { TERMINAL_FLOW, type TerminalEvent } from '../../shared/contract/terminal.js';
import type { Result, WireError } from '../../shared/errors.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';
import { startLoopbackServer, type LoopbackServer } from '../transports/loopback-server.js';
import { isRunning } from './process-tree.js';

let home: string;
let services: Services;
let server: LoopbackServer;

// The tests read a few fields of many shapes; the router parsed them already.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function value(name: string, input: unknown): Promise<any> {
  const result = (await services.router.call(name, input, { transport: 'cli' })) as Result<unknown>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const until = async (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A terminal over the router in-process, as the CLI uses it. */
function openInProcess(ticket: string) {
  const events: TerminalEvent[] = [];
  let ended: { error?: WireError } | undefined;
  const opened = services.router.subscribe(
    'terminal.session',
    { ticket },
    { transport: 'cli' },
    (event) => events.push(event as TerminalEvent),
    (error) => (ended = error ? { error } : {}),
  );
  if (!opened.ok) throw new Error(opened.error.message);
  const subscription = opened.value;
  const output = (): string => events.map((event) => (event.type === 'output' ? event.data : '')).join('');
  return {
    events,
    output,
    ended: () => ended,
    send: (message: unknown) => subscription.send!(message),
    type: (text: string) => subscription.send!({ type: 'input', data: text }),
    close: () => subscription.dispose(),
  };
}

const pidsIn = (text: string, label: string): number => {
  const match = new RegExp(`${label}=(\\d+)`).exec(text);
  if (!match) throw new Error(`no ${label} in ${JSON.stringify(text)}`);
  return Number(match[1]);
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-terminal-'));
  services = await createServices({ home });
  await value('deploy', { pipeline: 'demo', environment: 'staging', ref: 'HEAD' });
  await value('config.set', {
    pipeline: 'demo',
    environment: 'staging',
    vars: [{ key: 'GREETING', value: 'Ahoy from v2' }],
  });
  server = await startLoopbackServer({ router: services.router, rendererDir: join(home, 'none') });
}, 120_000);

afterAll(async () => {
  await server?.dispose();
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('exec terminal on the local provider', () => {
  it("opens a shell in the release folder with the release's config, and ends with the exit code", async () => {
    const { ticket } = await value('terminal.ticket', {
      pipeline: 'demo',
      environment: 'staging',
      cols: 100,
      rows: 30,
    });
    const term = openInProcess(ticket);
    await until(() => term.events.some((event) => event.type === 'ready'), 'ready');
    term.type('echo "G=[$GREETING]"; pwd\r');
    await until(() => term.output().includes('G=[Ahoy from v2]'), 'the greeting');
    await until(() => /slugs\/[0-9a-f]{40}/.test(term.output()), 'the slug folder');
    term.type('exit 3\r');
    await until(() => term.ended() !== undefined, 'the end');
    expect(term.events.at(-1)).toEqual({ type: 'exit', exitCode: 3 });
    expect(term.ended()).toEqual({});

    const events = (await value('activity.list', { pipeline: 'demo' })).events.filter((event: { action: string }) =>
      event.action.startsWith('exec.'),
    );
    const [end, start] = events;
    expect(start).toMatchObject({ action: 'exec.start', environment: 'staging', result: 'succeeded' });
    expect(end).toMatchObject({ action: 'exec.end', instance: start.instance, exitCode: 3 });
    expect(Date.parse(end.endedAt)).toBeGreaterThanOrEqual(Date.parse(end.startedAt));
    // Typed input is never recorded.
    expect(JSON.stringify(events)).not.toContain('GREETING');
  });

  it('runs a given command, records it, and passes its exit code on', async () => {
    const { ticket } = await value('terminal.ticket', {
      pipeline: 'demo',
      environment: 'staging',
      command: ['sh', '-c', 'echo "[$GREETING]"; exit 7'],
    });
    const term = openInProcess(ticket);
    await until(() => term.ended() !== undefined, 'the end');
    expect(term.output()).toContain('[Ahoy from v2]');
    expect(term.events.at(-1)).toEqual({ type: 'exit', exitCode: 7 });
    const [end] = (await value('activity.list', { pipeline: 'demo' })).events;
    expect(end).toMatchObject({ action: 'exec.end', command: ['sh', '-c', 'echo "[$GREETING]"; exit 7'], exitCode: 7 });
  });

  it('refuses a ticket twice, and an unknown one', async () => {
    const { ticket } = await value('terminal.ticket', { pipeline: 'demo', environment: 'staging', command: ['true'] });
    const first = openInProcess(ticket);
    await until(() => first.ended() !== undefined, 'the first session to end');
    const again = services.router.subscribe('terminal.session', { ticket }, { transport: 'ws' }, () => undefined);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses an unknown environment before handing out a ticket', async () => {
    await expect(value('terminal.ticket', { pipeline: 'demo', environment: 'nope' })).rejects.toThrow(/NOT_FOUND/);
  });

  it('kills the shell and what it started when the session is closed', async () => {
    const { ticket } = await value('terminal.ticket', { pipeline: 'demo', environment: 'staging' });
    const term = openInProcess(ticket);
    // A background job gets a process group of its own in an interactive shell; it must go too.
    term.type('sleep 300 & echo "SHELL=$$ JOB=$!"\r');
    await until(() => /JOB=\d+/.test(term.output()), 'the pids');
    const shell = pidsIn(term.output(), 'SHELL');
    const job = pidsIn(term.output(), 'JOB');
    expect(isRunning(shell) && isRunning(job)).toBe(true);
    await term.close();
    await until(() => !isRunning(shell) && !isRunning(job), 'the processes to be gone', 5_000);
    const [end] = (await value('activity.list', { pipeline: 'demo' })).events;
    expect(end).toMatchObject({ action: 'exec.end' });
  });

  it('kills the shell when the loopback client goes away', async () => {
    const { ticket } = await value('terminal.ticket', { pipeline: 'demo', environment: 'staging' });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${WS_PATH}?token=${server.token}`);
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ t: 'sub', id: 1, name: 'terminal.session', input: { ticket } }));
    ws.send(
      JSON.stringify({ t: 'send', id: 1, message: { type: 'input', data: 'sleep 300 & echo "SHELL=$$ JOB=$!"\r' } }),
    );
    const text = (): string =>
      messages
        .map((m) =>
          m.t === 'event' && (m.event as TerminalEvent).type === 'output' ? (m.event as { data: string }).data : '',
        )
        .join('');
    await until(() => /JOB=\d+/.test(text()), 'the pids over the socket');
    const shell = pidsIn(text(), 'SHELL');
    const job = pidsIn(text(), 'JOB');
    ws.terminate();
    await until(() => !isRunning(shell) && !isRunning(job), 'the processes to be gone', 5_000);
  });

  it('pauses a flood until the client acknowledges, then resumes (flow control)', async () => {
    const { ticket } = await value('terminal.ticket', { pipeline: 'demo', environment: 'staging', command: ['yes'] });
    const term = openInProcess(ticket);
    const received = (): number => term.output().length;
    await until(() => received() > TERMINAL_FLOW.HIGH_WATERMARK_CHARS, 'the high watermark');
    // Unacknowledged: the pty is paused, so output stops growing (one read may still be in flight).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stalled = received();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received()).toBe(stalled);
    expect(stalled).toBeLessThan(TERMINAL_FLOW.HIGH_WATERMARK_CHARS + 256 * 1024);
    term.send({ type: 'ack', chars: stalled });
    await until(() => received() > stalled + 50_000, 'output after the ack');
    await term.close();
  });

  it('ends the channel on a message it cannot read', async () => {
    const { ticket } = await value('terminal.ticket', { pipeline: 'demo', environment: 'staging' });
    const term = openInProcess(ticket);
    const sent = term.send({ type: 'resize', cols: 0, rows: 'x' });
    expect(sent.ok).toBe(false);
    await term.close();
  });
});
