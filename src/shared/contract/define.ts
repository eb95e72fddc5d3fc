// The building blocks of the contract: a procedure is input → output, a stream is input → events.
import type { z } from 'zod';

export interface ProcedureDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'procedure';
  readonly input: I;
  readonly output: O;
  /** One line for the API docs and `slipway help`. */
  readonly summary: string;
}

export interface StreamDef<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly input: I;
  readonly event: E;
  readonly summary: string;
}

export const procedure = <I extends z.ZodType, O extends z.ZodType>(
  summary: string,
  input: I,
  output: O,
): ProcedureDef<I, O> => ({ kind: 'procedure', summary, input, output });

export const stream = <I extends z.ZodType, E extends z.ZodType>(
  summary: string,
  input: I,
  event: E,
): StreamDef<I, E> => ({ kind: 'stream', summary, input, event });

/**
 * A channel is a stream with a way back: opened like a stream (`sub`), fed by the client with
 * `send` messages (parsed with `client`), answered with events, closed by either side.
 */
export interface ChannelDef<
  I extends z.ZodType = z.ZodType,
  C extends z.ZodType = z.ZodType,
  E extends z.ZodType = z.ZodType,
> {
  readonly kind: 'channel';
  readonly input: I;
  readonly client: C;
  readonly event: E;
  readonly summary: string;
}

export const channel = <I extends z.ZodType, C extends z.ZodType, E extends z.ZodType>(
  summary: string,
  input: I,
  client: C,
  event: E,
): ChannelDef<I, C, E> => ({ kind: 'channel', summary, input, client, event });
