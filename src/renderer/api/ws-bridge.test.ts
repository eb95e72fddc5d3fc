import { describe, expect, it } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../shared/contract/wire.js';
import { createWsBridge, retryDelay, type SocketLike, type Timers } from './ws-bridge.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientMessage[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closedByClient = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

class FakeTimers implements Timers {
  readonly pending: { fn: () => void; ms: number; handle: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.next++;
    this.pending.push({ fn, ms, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    const index = this.pending.findIndex((t) => t.handle === handle);
    if (index >= 0) this.pending.splice(index, 1);
  }
  runNext(): number {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no timer pending');
    timer.fn();
    return timer.ms;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:1234/api/ws?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 0.5,
    timers,
  });
  const last = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket');
    return socket;
  };
  return { bridge, sockets, timers, last };
}

describe('createWsBridge', () => {
  it('queues calls until the socket opens, then matches results by id', async () => {
    const { bridge, last } = setup();
    const first = bridge.call('pipelines.list', {});
    const second = bridge.call('system.info', {});
    expect(last().sent).toEqual([]);
    last().open();
    const [a, b] = last().sent;
    expect(a).toMatchObject({ t: 'call', name: 'pipelines.list' });
    expect(b).toMatchObject({ t: 'call', name: 'system.info' });
    expect(a?.id).not.toBe(b?.id);
    // Answers may come back in any order.
    last().receive({ t: 'result', id: b!.id, result: { ok: true, value: 'info' } });
    last().receive({ t: 'result', id: a!.id, result: { ok: false, error: { code: 'NOT_FOUND', message: 'no' } } });
    await expect(second).resolves.toEqual({ ok: true, value: 'info' });
    await expect(first).resolves.toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no' } });
  });

  it('delivers stream events and ends, and stops after unsubscribe', () => {
    const { bridge, last } = setup();
    last().open();
    const events: unknown[] = [];
    const ends: unknown[] = [];
    const unsubscribe = bridge.subscribe(
      'deployments.watch',
      { pipeline: 'demo' },
      (e) => events.push(e),
      (err) => ends.push(err),
    );
    const sub = last().sent[0]!;
    expect(sub).toMatchObject({ t: 'sub', name: 'deployments.watch', input: { pipeline: 'demo' } });
    last().receive({ t: 'event', id: sub.id, event: { n: 1 } });
    unsubscribe();
    expect(last().sent[1]).toEqual({ t: 'unsub', id: sub.id });
    last().receive({ t: 'event', id: sub.id, event: { n: 2 } });
    expect(events).toEqual([{ n: 1 }]);
    expect(ends).toEqual([]);

    const other = bridge.subscribe(
      'activity.watch',
      {},
      () => undefined,
      (err) => ends.push(err),
    );
    const otherId = last().sent[2]!.id;
    last().receive({ t: 'end', id: otherId, error: { code: 'UNAUTHORIZED', message: 'bye' } });
    expect(ends).toEqual([{ code: 'UNAUTHORIZED', message: 'bye' }]);
    other();
    expect(last().sent).toHaveLength(3); // nothing to unsub: the server already ended it
  });

  it('reconnects with growing delays, resubscribes live streams and reports the reconnect', () => {
    const { bridge, sockets, timers, last } = setup();
    const states: string[] = [];
    let reconnects = 0;
    bridge.onDidChangeState((s) => states.push(s));
    bridge.onDidReconnect(() => reconnects++);
    last().open();
    bridge.subscribe(
      'deployments.watch',
      { pipeline: 'demo' },
      () => undefined,
      () => undefined,
    );
    const dropped = bridge.subscribe(
      'activity.watch',
      {},
      () => undefined,
      () => undefined,
    );
    dropped();

    last().drop();
    expect(bridge.state).toBe('reconnecting');
    expect(timers.runNext()).toBe(100);
    last().drop(); // the server is still down
    expect(timers.runNext()).toBe(200);
    last().drop();
    expect(timers.runNext()).toBe(400);
    expect(sockets).toHaveLength(4);
    last().open();

    expect(states).toEqual(['open', 'reconnecting', 'open']);
    expect(reconnects).toBe(1);
    expect(last().sent).toEqual([{ t: 'sub', id: 1, name: 'deployments.watch', input: { pipeline: 'demo' } }]);

    // A successful open resets the backoff.
    last().drop();
    expect(timers.runNext()).toBe(100);
  });

  it('fails calls that were in flight when the socket dropped, but sends queued ones after reconnecting', async () => {
    const { bridge, timers, last } = setup();
    last().open();
    const inFlight = bridge.call('deploy', { pipeline: 'demo', environment: 'staging', ref: 'main' });
    last().drop();
    const queued = bridge.call('pipelines.list', {});
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } });
    timers.runNext();
    last().open();
    expect(last().sent).toEqual([{ t: 'call', id: 2, name: 'pipelines.list', input: {} }]);
    last().receive({ t: 'result', id: 2, result: { ok: true, value: [] } });
    await expect(queued).resolves.toEqual({ ok: true, value: [] });
  });

  it('ignores messages that are not part of the wire protocol', () => {
    const { bridge, last } = setup();
    last().open();
    const events: unknown[] = [];
    bridge.subscribe(
      'activity.watch',
      {},
      (e) => events.push(e),
      () => undefined,
    );
    last().onmessage?.({ data: 'not json' });
    last().onmessage?.({ data: JSON.stringify({ t: 'event', id: 'one' }) });
    last().receive({ t: 'event', id: 1, event: 'ok' });
    expect(events).toEqual(['ok']);
  });

  it('stops reconnecting once disposed', async () => {
    const { bridge, timers, last } = setup();
    last().open();
    const pending = bridge.call('system.info', {});
    bridge.dispose();
    expect(last().closedByClient).toBe(true);
    expect(bridge.state).toBe('closed');
    expect(timers.pending).toEqual([]);
    await expect(pending).resolves.toMatchObject({ ok: false });
  });
});

describe('retryDelay', () => {
  it('doubles up to the cap and jitters by at most 20 %', () => {
    expect([0, 1, 2, 3, 10].map((n) => retryDelay(n, 100, 1_000, 0.5))).toEqual([100, 200, 400, 800, 1_000]);
    expect(retryDelay(0, 100, 1_000, 0)).toBe(80);
    expect(retryDelay(0, 100, 1_000, 1)).toBe(120);
  });
});

describe('createWsBridge channels', () => {
  it('sends messages to an open channel and ends it, never reopened, when the socket drops', () => {
    const { bridge, last, timers } = setup();
    last().open();
    const events: unknown[] = [];
    const ends: unknown[] = [];
    const channel = bridge.open(
      'terminal.session',
      { ticket: 't1' },
      (e) => events.push(e),
      (e) => ends.push(e),
    );
    channel.send({ type: 'input', data: 'ls\r' });
    last().receive({ t: 'event', id: 1, event: { type: 'output', data: 'a b\r\n' } });
    expect(last().sent).toEqual([
      { t: 'sub', id: 1, name: 'terminal.session', input: { ticket: 't1' } },
      { t: 'send', id: 1, message: { type: 'input', data: 'ls\r' } },
    ]);
    expect(events).toEqual([{ type: 'output', data: 'a b\r\n' }]);

    last().drop();
    expect(ends).toEqual([expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' })]);
    timers.runNext();
    last().open();
    // The spent ticket is not sent again, and input after the end goes nowhere.
    channel.send({ type: 'input', data: 'x' });
    expect(last().sent).toEqual([]);
  });

  it('closes a channel with unsub and calls no end for it', () => {
    const { bridge, last } = setup();
    last().open();
    const ends: unknown[] = [];
    const channel = bridge.open(
      'terminal.session',
      { ticket: 't1' },
      () => undefined,
      (e) => ends.push(e),
    );
    channel.close();
    channel.close();
    expect(last().sent.at(-1)).toEqual({ t: 'unsub', id: 1 });
    expect(last().sent).toHaveLength(2);
    last().receive({ t: 'end', id: 1 });
    expect(ends).toEqual([]);
  });
});
