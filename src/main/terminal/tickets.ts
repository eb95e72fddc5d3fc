// Single-use, short-lived tickets: the main process hands one out for a checked request, and only a
// channel opened with it before it expires gets a terminal. A ticket seen in a log is already spent.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';

export const TICKET_TTL_MS = 30_000;

export class TicketBook<T> {
  private readonly tickets = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly ttlMs = TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(value: T): { ticket: string; expiresAt: string } {
    this.sweep();
    const ticket = randomBytes(24).toString('base64url');
    const expires = this.now() + this.ttlMs;
    this.tickets.set(ticket, { value, expires });
    return { ticket, expiresAt: new Date(expires).toISOString() };
  }

  /** The request behind a ticket, which is spent by this call whatever the outcome. */
  take(ticket: string): T {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.expires <= this.now()) {
      throw new AppError(
        'UNAUTHORIZED',
        'This terminal ticket is unknown, used or expired. Ask for a new one (terminal.ticket) and open the session at once.',
      );
    }
    return entry.value;
  }

  get size(): number {
    return this.tickets.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) if (entry.expires <= now) this.tickets.delete(ticket);
  }
}
