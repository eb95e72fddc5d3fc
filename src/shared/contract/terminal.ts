// The exec terminal: a ticket from a procedure, then a channel that carries keystrokes one way and
// output the other, with flow control (the client acknowledges what it has rendered).
import { z } from 'zod';
import { channel, procedure } from './define.js';
import { environmentRef } from './pipelines.js';

/**
 * Flow control as VS Code's terminal does it (pause above HIGH unacknowledged characters, resume below
 * LOW, the client acks every ACK_SIZE it has parsed), with other numbers than its 100,000 / 5,000 /
 * 5,000: a LOW that small drains the window at every pause, and the window then idles for a whole ack
 * round trip (ack, resume, pty read, batch, socket). The window is kept this small because all tabs
 * share one socket: a larger one queues more of a flood ahead of another tab's echo. ACK_SIZE ≤ LOW.
 */
export const TERMINAL_FLOW = {
  HIGH_WATERMARK_CHARS: 250_000,
  LOW_WATERMARK_CHARS: 125_000,
  ACK_SIZE_CHARS: 16_000,
};

const cols = z.number().int().min(2).max(1_000);
const rows = z.number().int().min(1).max(500);

export const terminalRequestSchema = environmentRef.extend({
  /** Absent: a healthy instance the provider picks. */
  instance: z.string().min(1).max(512).optional(),
  /** Absent: an interactive shell. */
  command: z.array(z.string().max(4_096)).min(1).max(256).optional(),
  cols: cols.default(80),
  rows: rows.default(24),
});
export type TerminalRequest = z.infer<typeof terminalRequestSchema>;

export const terminalTicketSchema = z.object({
  /** Single use; opens `terminal.session` once, within a few seconds. */
  ticket: z.string(),
  expiresAt: z.string(),
});
export type TerminalTicket = z.infer<typeof terminalTicketSchema>;

export const terminalClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(64 * 1024) }),
  z.object({ type: z.literal('resize'), cols, rows }),
  /** Characters of output the client has rendered since its last ack. */
  z.object({ type: z.literal('ack'), chars: z.number().int().positive() }),
]);
export type TerminalClientMessage = z.infer<typeof terminalClientMessageSchema>;

export const terminalEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), instance: z.string() }),
  z.object({ type: z.literal('output'), data: z.string() }),
  /** The last event; the channel ends right after. */
  z.object({ type: z.literal('exit'), exitCode: z.number().int(), signal: z.number().int().optional() }),
]);
export type TerminalEvent = z.infer<typeof terminalEventSchema>;

export const terminalProcedures = {
  'environments.enableExec': procedure(
    'Turn on exec for an environment where it can be off (ECS Exec: enableExecuteCommand and a new deployment)',
    environmentRef,
    z.object({ enabled: z.literal(true) }),
  ),
  'terminal.ticket': procedure(
    'A single-use ticket, valid for a few seconds, to open a shell or command in an instance',
    terminalRequestSchema,
    terminalTicketSchema,
  ),
};

export const terminalChannels = {
  'terminal.session': channel(
    'A shell or command under a pseudo-terminal: send input/resize/ack, receive ready/output/exit',
    z.object({ ticket: z.string().min(1).max(256) }),
    terminalClientMessageSchema,
    terminalEventSchema,
  ),
};
