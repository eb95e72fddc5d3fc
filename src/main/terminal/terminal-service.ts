// Exec sessions for every transport: a ticket for a checked request, then a channel that owns one
// provider ExecSession with flow control, batched output and an activity event at each end. Whatever
// ends the channel (the tab, the window, the socket, Slipway closing) ends the session and everything
// it started.
import type {
  TerminalClientMessage,
  TerminalEvent,
  TerminalRequest,
  TerminalTicket,
} from '../../shared/contract/terminal.js';
import { AppError, toWire } from '../../shared/errors.js';
import type { Actor } from '../../shared/model.js';
import { environmentEvent } from '../core/audit-event.js';
import { resolveEnvironment, type CoreDeps } from '../core/core-deps.js';
import { appendAudit } from '../core/release-runner.js';
import type { ExecSession } from '../providers/capabilities.js';
import type { ChannelSession } from '../router/router.js';
import { DisposableStore, toDisposable, type Disposable } from '../util/disposable.js';
import { AckFlowControl } from './flow-control.js';
import { OutputBatcher } from './output-batcher.js';
import { TicketBook } from './tickets.js';

/** Output a pty still delivers after its process exited is waited for this long before the end line. */
const EXIT_DRAIN_MS = 30;
/** Keystrokes typed before the session is up are kept, up to this many characters. */
const MAX_EARLY_INPUT = 64 * 1024;

interface Ticketed {
  readonly request: TerminalRequest;
  readonly actor: Actor;
}

export class TerminalService implements Disposable {
  private readonly tickets = new TicketBook<Ticketed>();
  private readonly sessions = new DisposableStore();

  constructor(private readonly deps: CoreDeps) {}

  /** Open sessions, for tests and shutdown. */
  get openCount(): number {
    return this.sessions.size;
  }

  async ticket(request: TerminalRequest): Promise<TerminalTicket> {
    // Checked now, so a wrong name or an environment without exec fails before any channel opens.
    const { provider } = await resolveEnvironment(this.deps, request.pipeline, request.environment);
    if (!provider.capabilities.exec) {
      throw new AppError(
        'INVALID_INPUT',
        `${request.environment} runs on the ${provider.kind} provider, which cannot open a shell in its instances.`,
      );
    }
    return this.tickets.issue({ request, actor: await this.deps.actor() });
  }

  /** Turns exec on where a provider can have it off; audited whether it worked or not. */
  async enableExec(target: { pipeline: string; environment: string }): Promise<{ enabled: true }> {
    const { ctx, provider } = await resolveEnvironment(this.deps, target.pipeline, target.environment);
    const enable = provider.capabilities.exec?.enable;
    if (!enable) {
      throw new AppError(
        'INVALID_INPUT',
        provider.capabilities.exec
          ? `Exec is always on for ${target.environment} (${provider.kind} provider); there is nothing to enable.`
          : `${target.environment} runs on the ${provider.kind} provider, which cannot open a shell in its instances.`,
      );
    }
    const event = environmentEvent(await this.deps.actor(), 'environment.enable-exec', target);
    try {
      await enable(ctx);
    } catch (error) {
      const wire = toWire(error);
      await appendAudit(
        this.deps,
        event('failed', `Enabling exec on ${target.environment} failed: ${wire.message}`, wire.code),
      );
      throw error;
    }
    await appendAudit(
      this.deps,
      event(
        'succeeded',
        `Enabled exec on ${target.environment} and started a new deployment so running instances get it`,
      ),
    );
    return { enabled: true };
  }

  open(
    ticket: string,
    emit: (event: TerminalEvent) => void,
    end: (error?: unknown) => void,
  ): ChannelSession<TerminalClientMessage> {
    const { request, actor } = this.tickets.take(ticket);
    const store = new DisposableStore();
    let session: ExecSession | undefined;
    let closed = false;
    let early: TerminalClientMessage[] = [];
    let earlyChars = 0;
    const startedAt = new Date().toISOString();
    const command = request.command ? { command: [...request.command] } : {};
    const event = environmentEvent(actor, 'exec.start', request);

    const batcher = store.add(new OutputBatcher((data) => emit({ type: 'output', data })));
    const flow = new AckFlowControl({ pause: () => session?.pause(), resume: () => session?.resume() });

    const apply = (message: TerminalClientMessage): void => {
      if (!session) return;
      if (message.type === 'input') session.write(message.data);
      else if (message.type === 'resize') session.resize(message.cols, message.rows);
      else flow.acknowledged(message.chars);
    };

    let started: Promise<void> = Promise.resolve();
    const audited = async (exit?: { exitCode: number }): Promise<void> => {
      if (!session) return;
      // The end event is written after the start event, so the feed never shows an end without a start.
      await started;
      const instance = session.instance;
      const what = request.command ? `\`${request.command.join(' ')}\`` : 'a shell';
      const summary = `Closed ${what} in ${instance}${exit ? ` (exit ${exit.exitCode})` : ''}`;
      return appendAudit(this.deps, {
        ...event('succeeded', summary),
        action: 'exec.end',
        instance,
        ...command,
        startedAt,
        endedAt: new Date().toISOString(),
        ...(exit ? { exitCode: exit.exitCode } : {}),
      });
    };

    let finishing: Promise<void> | undefined;
    /** Ends the session once: kills what runs, writes the end event, releases the channel. */
    const finish = (exit?: { exitCode: number; signal?: number }): Promise<void> => {
      finishing ??= (async () => {
        closed = true;
        if (exit) {
          batcher.flush();
          emit({ type: 'exit', exitCode: exit.exitCode, ...(exit.signal ? { signal: exit.signal } : {}) });
        }
        await store.dispose();
        try {
          await session?.dispose();
        } finally {
          this.sessions.delete(owner);
          await audited(exit);
          end();
        }
      })();
      return finishing;
    };
    const owner = this.sessions.add(toDisposable(() => finish()));

    void (async () => {
      try {
        const { ctx, provider } = await resolveEnvironment(this.deps, request.pipeline, request.environment);
        const exec = provider.capabilities.exec;
        if (!exec) throw new AppError('INVALID_INPUT', `${request.environment} cannot open a shell in its instances.`);
        const opened = await exec.open(ctx, {
          ...(request.instance ? { instance: request.instance } : {}),
          ...(request.command ? { command: request.command } : {}),
          cols: request.cols,
          rows: request.rows,
        });
        if (closed) {
          await opened.dispose();
          return;
        }
        session = opened;
        // Listen before anything is awaited: a command that exits at once must not be missed.
        store.add(
          opened.onData((data) => {
            flow.sent(data.length);
            batcher.push(data);
          }),
        );
        store.add(
          opened.onExit((exit) => {
            const timer = setTimeout(() => void finish(exit), EXIT_DRAIN_MS);
            store.add(toDisposable(() => clearTimeout(timer)));
          }),
        );
        started = appendAudit(this.deps, {
          ...event(
            'succeeded',
            `Opened ${request.command ? `\`${request.command.join(' ')}\`` : 'a shell'} in ${opened.instance}`,
          ),
          instance: opened.instance,
          ...command,
          startedAt,
        });
        emit({ type: 'ready', instance: opened.instance });
        for (const message of early) apply(message);
        early = [];
      } catch (error) {
        if (closed) return;
        closed = true;
        this.sessions.delete(owner);
        await store.dispose();
        const wire = toWire(error);
        if (!(error instanceof AppError && (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND'))) {
          await appendAudit(this.deps, {
            ...event('failed', `Opening a shell failed: ${wire.message}`, wire.code),
            ...(request.instance ? { instance: request.instance } : {}),
            ...command,
            startedAt,
          });
        }
        end(error);
      }
    })();

    return {
      receive(message) {
        if (closed) return;
        if (session) {
          apply(message);
          return;
        }
        const size = message.type === 'input' ? message.data.length : 0;
        if (earlyChars + size > MAX_EARLY_INPUT) return;
        earlyChars += size;
        early.push(message);
      },
      dispose: () => finish(),
    };
  }

  dispose(): Promise<void> {
    return this.sessions.dispose();
  }
}
