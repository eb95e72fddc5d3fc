// Binds contract names to handlers. Every input is parsed here, whatever the transport; every answer
// is an envelope, so codes and details survive IPC and sockets alike.
import type { z } from 'zod';
import {
  channels,
  isChannelName,
  isProcedureName,
  isStreamName,
  procedures,
  streams,
  type ChannelArgs,
  type ChannelClientMessage,
  type ChannelEvent,
  type ChannelName,
  type ProcedureArgs,
  type ProcedureName,
  type ProcedureOutput,
  type StreamArgs,
  type StreamEvent,
  type StreamName,
} from '../../shared/contract/index.js';
import { AppError, fail, ok, toWire, type Result, type WireError } from '../../shared/errors.js';
import type { Disposable } from '../util/disposable.js';
import { asStorageError } from '../util/storage-error.js';
import { commandGestureFor, requireCommandGesture, type CommandGesture } from './command-gesture.js';

export interface CallContext {
  readonly transport: 'ipc' | 'ws' | 'http' | 'cli';
  /**
   * Bytes sent to this caller that it has not taken yet (a socket's buffer, the CLI's stdout), where
   * the transport can tell. Bounded streams hold back and then skip while it is high.
   */
  readonly backlog?: () => number;
  /**
   * Asks the person, in the main process, before a command runs (see command-gesture.ts); absent where
   * the transport has no one to ask.
   */
  readonly confirm?: (gesture: CommandGesture) => Promise<boolean>;
}

export type ProcedureHandlers = {
  [N in ProcedureName]: (args: ProcedureArgs<N>, ctx: CallContext) => Promise<ProcedureOutput<N>>;
};

export type StreamHandlers = {
  [N in StreamName]: (args: StreamArgs<N>, emit: (event: StreamEvent<N>) => void, ctx: CallContext) => Disposable;
};

/** An open channel as its handler sees it: messages from the client arrive already parsed. */
export interface ChannelSession<C = unknown> extends Disposable {
  receive(message: C): void;
}

export type ChannelHandlers = {
  [N in ChannelName]: (
    args: ChannelArgs<N>,
    emit: (event: ChannelEvent<N>) => void,
    /** The server side is done (the process exited, or it failed): no more events, the peer is told. */
    end: (error?: unknown) => void,
    ctx: CallContext,
  ) => ChannelSession<ChannelClientMessage<N>>;
};

/** A running stream or channel; `send` is there for channels only and answers with what went wrong. */
export interface Subscription extends Disposable {
  send?(message: unknown): Result<void>;
}

export interface Router {
  call(name: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
  /**
   * Starts a stream or opens a channel; the returned Disposable ends it. Errors (unknown name, bad input)
   * come back as an envelope. `onEnd` fires once when the server side ends it (channels only).
   */
  subscribe(
    name: string,
    input: unknown,
    ctx: CallContext,
    onEvent: (event: unknown) => void,
    onEnd?: (error?: WireError) => void,
  ): Result<Subscription>;
}

export interface RouterOptions {
  /** Where unexpected errors go (the main log); never the caller. */
  readonly onUnexpectedError?: (error: unknown, name: string) => void;
  /** Bidirectional channels (the terminal); a router without them answers NOT_FOUND for their names. */
  readonly channels?: Partial<ChannelHandlers>;
}

export function invalidInput(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  return new AppError('INVALID_INPUT', `Invalid input. ${where}${first?.message ?? 'check the request'}.`, {
    details: { issues },
  });
}

export function createRouter(
  handlers: ProcedureHandlers,
  streamHandlers: StreamHandlers,
  options: RouterOptions = {},
): Router {
  /** Disk trouble becomes a STORAGE error naming the file; whatever is not ours goes to the main log with its cause. */
  const report = (error: unknown, name: string): unknown => {
    if (error instanceof AppError) return error;
    options.onUnexpectedError?.(error, name);
    return asStorageError(error) ?? error;
  };

  const openChannel = (
    name: ChannelName,
    input: unknown,
    ctx: CallContext,
    onEvent: (event: unknown) => void,
    onEnd?: (error?: WireError) => void,
  ): Result<Subscription> => {
    const def = channels[name];
    const handler = options.channels?.[name] as
      | ((
          args: unknown,
          emit: (event: unknown) => void,
          end: (error?: unknown) => void,
          ctx: CallContext,
        ) => ChannelSession)
      | undefined;
    if (!handler) return fail(new AppError('NOT_FOUND', `There is no channel named "${name}" here.`));
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return fail(invalidInput(parsed.error));
    let ended = false;
    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      onEnd?.(error === undefined ? undefined : toWire(report(error, name)));
    };
    try {
      const session = handler(
        parsed.data,
        (event) => {
          if (!ended) onEvent(def.event.parse(event));
        },
        end,
        ctx,
      );
      return ok({
        send(message) {
          const parsedMessage = def.client.safeParse(message);
          if (!parsedMessage.success) return fail(invalidInput(parsedMessage.error));
          if (!ended) session.receive(parsedMessage.data);
          return ok(undefined);
        },
        dispose: () => {
          ended = true;
          return session.dispose();
        },
      });
    } catch (error) {
      return fail(report(error, name));
    }
  };

  return {
    async call(name, input, ctx) {
      if (!isProcedureName(name)) {
        return fail(new AppError('NOT_FOUND', `There is no procedure named "${name}".`));
      }
      const def = procedures[name];
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success) return fail(invalidInput(parsed.error));
      try {
        const gesture = commandGestureFor(name, parsed.data);
        if (gesture) await requireCommandGesture(ctx, gesture);
        const handler = handlers[name] as (args: unknown, ctx: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, ctx);
        // Outputs are parsed too: a field the contract does not name (a secret, a path) never leaves.
        return ok(def.output.parse(value));
      } catch (error) {
        return fail(report(error, name));
      }
    },

    subscribe(name, input, ctx, onEvent, onEnd) {
      if (isChannelName(name)) return openChannel(name, input, ctx, onEvent, onEnd);
      if (!isStreamName(name)) {
        return fail(new AppError('NOT_FOUND', `There is no stream named "${name}".`));
      }
      const def = streams[name];
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success) return fail(invalidInput(parsed.error));
      try {
        const handler = streamHandlers[name] as (
          args: unknown,
          emit: (event: unknown) => void,
          ctx: CallContext,
        ) => Disposable;
        return ok(handler(parsed.data, (event) => onEvent(def.event.parse(event)), ctx));
      } catch (error) {
        return fail(report(error, name));
      }
    },
  };
}
