// Binds contract names to handlers. Every input is parsed here, whatever the transport; every answer
// is an envelope, so codes and details survive IPC and sockets alike.
import type { z } from 'zod';
import {
  isProcedureName,
  isStreamName,
  procedures,
  streams,
  type ProcedureArgs,
  type ProcedureName,
  type ProcedureOutput,
  type StreamArgs,
  type StreamEvent,
  type StreamName,
} from '../../shared/contract/index.js';
import { AppError, fail, ok, type Result } from '../../shared/errors.js';
import type { Disposable } from '../util/disposable.js';

export interface CallContext {
  readonly transport: 'ipc' | 'ws' | 'http' | 'cli';
  /**
   * Bytes sent to this caller that it has not taken yet (a socket's buffer, the CLI's stdout), where
   * the transport can tell. Bounded streams hold back and then skip while it is high.
   */
  readonly backlog?: () => number;
}

export type ProcedureHandlers = {
  [N in ProcedureName]: (args: ProcedureArgs<N>, ctx: CallContext) => Promise<ProcedureOutput<N>>;
};

export type StreamHandlers = {
  [N in StreamName]: (args: StreamArgs<N>, emit: (event: StreamEvent<N>) => void, ctx: CallContext) => Disposable;
};

export interface Router {
  call(name: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
  /** Starts a stream; the returned Disposable ends it. Errors (unknown name, bad input) come back as an envelope. */
  subscribe(name: string, input: unknown, ctx: CallContext, onEvent: (event: unknown) => void): Result<Disposable>;
}

export interface RouterOptions {
  /** Where unexpected errors go (the main log); never the caller. */
  readonly onUnexpectedError?: (error: unknown, name: string) => void;
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
  const report = (error: unknown, name: string): void => {
    if (!(error instanceof AppError)) options.onUnexpectedError?.(error, name);
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
        const handler = handlers[name] as (args: unknown, ctx: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, ctx);
        // Outputs are parsed too: a field the contract does not name (a secret, a path) never leaves.
        return ok(def.output.parse(value));
      } catch (error) {
        report(error, name);
        return fail(error);
      }
    },

    subscribe(name, input, ctx, onEvent) {
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
        report(error, name);
        return fail(error);
      }
    },
  };
}
