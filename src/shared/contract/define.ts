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
