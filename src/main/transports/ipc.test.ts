import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/contract/wire.js';
import {
  createIpcTransport,
  type IpcEventLike,
  type IpcFrameLike,
  type IpcMainLike,
  type IpcWebContentsLike,
} from './ipc.js';
import { createRouterFixture, sampleDeployment } from './router-fixture.js';

const RENDERER = 'app://slipway/index.html';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** Stands in for Electron's ipcMain: `invoke` and `send` from a renderer reach the registered listeners. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Listener>();
  listeners = new Map<string, Set<Listener>>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  invoke(event: IpcEventLike, message: unknown): Promise<unknown> {
    const handler = this.handlers.get('slipway');
    if (!handler) throw new Error('No handler registered for slipway');
    return Promise.resolve(handler(event, message));
  }
  send(event: IpcEventLike, message: unknown): void {
    for (const listener of this.listeners.get('slipway') ?? []) listener(event, message);
  }
}

class FakeWebContents extends EventEmitter implements IpcWebContentsLike {
  readonly sent: ServerMessage[] = [];
  destroyed = false;
  mainFrame: IpcFrameLike = { url: RENDERER, parent: null };
  constructor(readonly id: number) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, message: unknown): void {
    if (channel !== 'slipway') throw new Error(`sent on ${channel}`);
    this.sent.push(message as ServerMessage);
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  event(frame: IpcFrameLike | null = this.mainFrame): IpcEventLike {
    return { sender: this, senderFrame: frame };
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((wake) => setTimeout(wake, 5));
}

function setup() {
  const fixture = createRouterFixture();
  const ipcMain = new FakeIpcMain();
  const refused: string[] = [];
  const transport = createIpcTransport({
    ipcMain,
    router: fixture.router,
    rendererUrl: RENDERER,
    onRefused: (r) => refused.push(r),
  });
  const window = new FakeWebContents(1);
  transport.attach(window);
  return { fixture, ipcMain, transport, window, refused };
}

describe('IPC transport', () => {
  it('answers calls with the envelope, as the ipc transport', async () => {
    const { fixture, ipcMain, window } = setup();
    const info = await ipcMain.invoke(window.event({ url: `${RENDERER}#/pipelines`, parent: null }), {
      t: 'call',
      id: 1,
      name: 'system.info',
      input: {},
    });
    expect(info).toMatchObject({ ok: true, value: { version: '1.2.3' } });
    expect(fixture.transports).toEqual(['ipc']);
    expect(
      await ipcMain.invoke(window.event(), { t: 'call', id: 2, name: 'pipelines.get', input: { pipeline: 'x' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('parses every message and answers garbage with INVALID_INPUT', async () => {
    const { ipcMain, window } = setup();
    expect(await ipcMain.invoke(window.event(), 'system.info')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await ipcMain.invoke(window.event(), { t: 'sub', id: 1, name: 'deployments.watch', input: {} }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    ipcMain.send(window.event(), { t: 'sub', id: 'one' });
    ipcMain.send(window.event(), { t: 'sub', id: 5 });
    expect(window.sent).toEqual([
      expect.objectContaining({ t: 'end', id: 5, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }),
    ]);
  });

  it('streams events to the window and stops on unsubscribe', async () => {
    const { fixture, ipcMain, window, transport } = setup();
    ipcMain.send(window.event(), { t: 'sub', id: 9, name: 'deployments.watch', input: { pipeline: 'shop' } });
    expect(fixture.open.get('deployments.watch')).toBe(1);
    expect(transport.subscriptionCount).toBe(1);
    fixture.emitDeployment(sampleDeployment('d1', 'queued'));
    expect(window.sent).toEqual([{ t: 'event', id: 9, event: sampleDeployment('d1', 'queued') }]);

    ipcMain.send(window.event(), { t: 'unsub', id: 9 });
    await until(() => window.sent.length === 2);
    expect(window.sent[1]).toEqual({ t: 'end', id: 9 });
    expect(fixture.open.get('deployments.watch')).toBe(0);
    fixture.emitDeployment(sampleDeployment('d2', 'queued'));
    expect(window.sent).toHaveLength(2);
  });

  it('disposes the streams of a window when it is destroyed, reloads or crashes', async () => {
    const { fixture, ipcMain, window, transport } = setup();
    ipcMain.send(window.event(), { t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    window.emit('did-navigate');
    await until(() => fixture.open.get('deployments.watch') === 0);

    ipcMain.send(window.event(), { t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    ipcMain.send(window.event(), { t: 'sub', id: 2, name: 'deployments.watch', input: {} });
    expect(fixture.open.get('deployments.watch')).toBe(2);
    window.destroy();
    await until(() => fixture.open.get('deployments.watch') === 0);
    expect(transport.subscriptionCount).toBe(0);
    fixture.emitDeployment(sampleDeployment('d1', 'queued'));
    expect(window.sent.filter((m) => m.t === 'event')).toEqual([]);

    // A destroyed window is no longer trusted.
    expect(await ipcMain.invoke(window.event(), { t: 'call', id: 1, name: 'system.info', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
  });

  it('refuses foreign senders: another webContents, a subframe, another page', async () => {
    const { fixture, ipcMain, window, refused } = setup();
    const stranger = new FakeWebContents(2);
    const call = { t: 'call', id: 1, name: 'system.info', input: {} };
    const cases: IpcEventLike[] = [
      stranger.event(),
      window.event({ url: RENDERER, parent: window.mainFrame }),
      window.event({ url: 'https://evil.example/index.html', parent: null }),
      window.event({ url: 'file:///opt/slipway/dist/renderer/index.html', parent: null }),
      window.event(null),
    ];
    for (const event of cases) {
      expect(await ipcMain.invoke(event, call)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      ipcMain.send(event, { t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    }
    expect(fixture.transports).toEqual([]);
    expect(fixture.open.get('deployments.watch') ?? 0).toBe(0);
    expect(stranger.sent).toEqual([]);
    expect(refused).toHaveLength(cases.length * 2);
  });

  it('removes its handlers and ends every stream on dispose', async () => {
    const { fixture, ipcMain, window, transport } = setup();
    ipcMain.send(window.event(), { t: 'sub', id: 1, name: 'deployments.watch', input: {} });
    await transport.dispose();
    expect(fixture.open.get('deployments.watch')).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.get('slipway')?.size).toBe(0);
  });

  it('insists on an app:// renderer', () => {
    const fixture = createRouterFixture();
    expect(() =>
      createIpcTransport({ ipcMain: new FakeIpcMain(), router: fixture.router, rendererUrl: 'http://127.0.0.1:3000/' }),
    ).toThrow('app://');
    expect(() =>
      createIpcTransport({
        ipcMain: new FakeIpcMain(),
        router: fixture.router,
        rendererUrl: 'file:///opt/slipway/dist/renderer/index.html',
      }),
    ).toThrow('app://');
  });
});
