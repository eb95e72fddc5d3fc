// The messages a socket-like transport carries (WebSocket; the IPC transport uses the same shapes).
import { z } from 'zod';
import { wireErrorSchema } from '../errors.js';

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int() }),
  /** A message to an open channel (a `sub` of a channel name); parsed with that channel's client schema. */
  z.object({ t: z.literal('send'), id: z.number().int(), message: z.unknown() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);

export const serverMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int(), result: envelopeSchema }),
  z.object({ t: z.literal('event'), id: z.number().int(), event: z.unknown() }),
  /** A stream ended: by unsub, by the server, or with an error. */
  z.object({ t: z.literal('end'), id: z.number().int(), error: wireErrorSchema.optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
