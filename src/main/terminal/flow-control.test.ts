import { describe, expect, it } from 'vitest';
import { TERMINAL_FLOW } from '../../shared/contract/terminal.js';
import { AckFlowControl } from './flow-control.js';
import { OutputBatcher } from './output-batcher.js';
import { TicketBook } from './tickets.js';

describe('AckFlowControl', () => {
  it('pauses above the high watermark and resumes only below the low one', () => {
    const calls: string[] = [];
    const flow = new AckFlowControl({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 100, 10);
    flow.sent(60);
    flow.sent(40);
    expect(calls).toEqual([]);
    flow.sent(1);
    expect(calls).toEqual(['pause']);
    flow.sent(50);
    flow.acknowledged(100);
    expect(calls).toEqual(['pause']);
    flow.acknowledged(42);
    expect(calls).toEqual(['pause', 'resume']);
    expect(flow.isPaused).toBe(false);
  });

  it('does not bank credit from over-acknowledging', () => {
    const calls: string[] = [];
    const flow = new AckFlowControl({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    flow.acknowledged(10 * TERMINAL_FLOW.HIGH_WATERMARK_CHARS);
    flow.sent(TERMINAL_FLOW.HIGH_WATERMARK_CHARS + 1);
    expect(calls).toEqual(['pause']);
  });
});

describe('OutputBatcher', () => {
  it('sends the first chunk at once and the rest of a burst as one message a few milliseconds later', async () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((data) => sent.push(data), 5);
    for (const chunk of ['a', 'b', 'c', 'd']) batcher.push(chunk);
    expect(sent).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual(['a', 'bcd']);
    // Quiet again: the next keystroke's echo goes at once.
    batcher.push('e');
    expect(sent).toEqual(['a', 'bcd', 'e']);
    batcher.dispose();
  });

  it('never sends a message larger than its cap, however fast the output comes', async () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((data) => sent.push(data), 5, 10);
    batcher.push('x'.repeat(25));
    for (let i = 0; i < 7; i++) batcher.push('abc');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent.every((message) => message.length <= 10)).toBe(true);
    expect(sent.join('')).toBe(`${'x'.repeat(25)}${'abc'.repeat(7)}`);
    batcher.dispose();
  });

  it('keeps the ack size within the low watermark, or a paused terminal would never resume', () => {
    expect(TERMINAL_FLOW.ACK_SIZE_CHARS).toBeLessThanOrEqual(TERMINAL_FLOW.LOW_WATERMARK_CHARS);
    expect(TERMINAL_FLOW.LOW_WATERMARK_CHARS).toBeLessThan(TERMINAL_FLOW.HIGH_WATERMARK_CHARS);
  });
});

describe('TicketBook', () => {
  it('gives a request back once, and not after it expires', () => {
    let now = 1_000;
    const book = new TicketBook<string>(30_000, () => now);
    const { ticket } = book.issue('shell');
    expect(book.take(ticket)).toBe('shell');
    expect(() => book.take(ticket)).toThrow(/unknown, used or expired/);
    const late = book.issue('late');
    now += 30_001;
    expect(() => book.take(late.ticket)).toThrow(/expired/);
  });
});
