// Procedures that run a command (one-off `run`, an exec terminal, a pipeline's release command) need a
// person's gesture confirmed in the main process, so a compromised page cannot run commands by itself.
// The CLI's command line is the gesture; a window's call is confirmed by a main-process dialog
// (CallContext.confirm); the loopback API's bearer token is the authority its callers already hold.
import type { ProcedureArgs, ProcedureName } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { CallContext } from './router.js';

export interface CommandGesture {
  /** What will run, as the person should read it. */
  readonly command: string;
  /** `pipeline/environment` or `pipeline`. */
  readonly where: string;
  /** One line: what confirming does. */
  readonly action: string;
}

type GestureOf = { [N in ProcedureName]?: (args: ProcedureArgs<N>) => CommandGesture | undefined };

const GESTURES: GestureOf = {
  run: (args) => ({
    command: args.command.join(' '),
    where: `${args.pipeline}/${args.environment}`,
    action: 'Run a one-off command',
  }),
  'terminal.ticket': (args) => ({
    command: args.command ? args.command.join(' ') : 'an interactive shell',
    where: `${args.pipeline}/${args.environment}${args.instance ? ` (${args.instance})` : ''}`,
    action: 'Open a terminal',
  }),
  'pipelines.create': (args) =>
    args.releaseCommand === undefined
      ? undefined
      : { command: args.releaseCommand, where: args.name, action: 'Run this release command before every release' },
};

/** The gesture a call needs, or undefined when it runs no command. */
export function commandGestureFor(name: ProcedureName, args: unknown): CommandGesture | undefined {
  const of = GESTURES[name] as ((args: unknown) => CommandGesture | undefined) | undefined;
  return of?.(args);
}

/**
 * Refuses (UNAUTHORIZED) unless the person confirmed `gesture`. Call it from any handler that starts a
 * command outside the table above (the router applies the table itself).
 */
export async function requireCommandGesture(ctx: CallContext, gesture: CommandGesture): Promise<void> {
  if (ctx.transport === 'cli') return;
  if (ctx.confirm) {
    if (await ctx.confirm(gesture)) return;
    throw new AppError('UNAUTHORIZED', `${gesture.action} on ${gesture.where} was not confirmed; nothing was run.`);
  }
  if (ctx.transport === 'ipc') {
    throw new AppError(
      'UNAUTHORIZED',
      `${gesture.action} on ${gesture.where} needs a confirmation from Slipway, which this window cannot show; nothing was run.`,
    );
  }
}
