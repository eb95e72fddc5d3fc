// Webhook deliveries from a durable queue: one file per delivery under SLIPWAY_HOME/webhooks/deliveries
// (written and fsynced before the action that caused it returns), attempted by whichever Slipway process
// of the workspace runs, one at a time (a lock per delivery), with exponential backoff for 24 h. The
// file is also the delivery log: every attempt's time, response code or error, and the final status.
import { createHmac, randomBytes } from 'node:crypto';
import { open, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import {
  webhookDeliverySchema,
  webhookPayloadSchema,
  type WebhookDelivery,
  type WebhookPayload,
} from '../../shared/contract/webhooks.js';
import { AppError } from '../../shared/errors.js';
import { checkHookTarget, parseHookUrl } from './target-check.js';
import type { StoredHook, WebhookStore } from './webhook-store.js';
import { removeOrphanTemps, tempSuffix } from '../util/temp-files.js';

const recordSchema = z.object({
  delivery: webhookDeliverySchema,
  payload: webhookPayloadSchema.omit({ sentAt: true }),
  firstAttemptAt: z.string().optional(),
});
type DeliveryRecord = z.infer<typeof recordSchema>;

export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
const MAX_DELAY_MS = 60 * 60 * 1000;
const KEEP_FINISHED = 500;

export interface DispatcherOptions {
  /** First retry delay; doubles each attempt up to an hour (default 10 s, SLIPWAY_WEBHOOK_RETRY_MS). */
  readonly retryMs?: number;
  readonly log: (message: string, error?: unknown) => void;
  /** The clock deliveries are timed by (tests move it on by hours). */
  readonly now?: () => number;
}

export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}${tempSuffix()}`;
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

export class WebhookDispatcher {
  private readonly folder: string;
  private readonly ready: Promise<unknown>;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private disposed = false;
  private readonly now: () => number;

  constructor(
    private readonly hooks: WebhookStore,
    private readonly options: DispatcherOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.folder = join(hooks.folder, 'deliveries');
    this.ready = mkdir(this.folder, { recursive: true, mode: 0o700 }).then(() => removeOrphanTemps([this.folder]));
    const fromEnv = Number(process.env.SLIPWAY_WEBHOOK_RETRY_MS);
    this.retryMs = options.retryMs ?? (Number.isFinite(fromEnv) && fromEnv >= 100 ? fromEnv : 10_000);
  }

  /** Queues one delivery per hook that wants this event; they are on disk when this returns. */
  async enqueue(hooks: readonly StoredHook[], payload: Omit<WebhookPayload, 'sentAt'>): Promise<WebhookDelivery[]> {
    await this.ready;
    const made: WebhookDelivery[] = [];
    for (const hook of hooks) {
      if (!hook.events.includes('*') && !hook.events.includes(payload.type)) continue;
      const delivery: WebhookDelivery = {
        id: `${String(this.now()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`,
        hookId: hook.id,
        pipeline: hook.pipeline,
        url: hook.url,
        eventId: payload.id,
        type: payload.type,
        status: 'pending',
        attempts: [],
        nextAttemptAt: new Date(this.now()).toISOString(),
      };
      await writeDurably(this.path(delivery.id), JSON.stringify({ delivery, payload } satisfies DeliveryRecord));
      made.push(delivery);
    }
    if (made.length > 0) this.kick();
    return made;
  }

  /** Starts looking for due deliveries now and then every second while any are pending. */
  start(): void {
    this.kick();
  }

  async list(filter: { pipeline: string; hook?: string | undefined; limit: number }): Promise<WebhookDelivery[]> {
    const records = await this.records();
    return records
      .map((r) => r.delivery)
      .filter((d) => d.pipeline === filter.pipeline && (!filter.hook || d.hookId === filter.hook))
      .reverse()
      .slice(0, filter.limit);
  }

  /** True when a delivery of this event is queued or logged already. */
  async hasEvent(eventId: string): Promise<boolean> {
    return (await this.records()).some((r) => r.delivery.eventId === eventId);
  }

  async redeliver(id: string): Promise<WebhookDelivery> {
    const record = (await this.records()).find((r) => r.delivery.id === id);
    if (!record)
      throw new AppError(
        'NOT_FOUND',
        `There is no webhook delivery ${id}. See \`slipway webhooks:deliveries PIPELINE\`.`,
      );
    const hook = (await this.hooks.list()).find((h) => h.id === record.delivery.hookId);
    if (!hook)
      throw new AppError('NOT_FOUND', `The webhook of delivery ${id} was removed; there is nowhere to send it.`);
    const [made] = await this.enqueue([{ ...hook, events: ['*'] }], record.payload);
    return made!;
  }

  /** Waits (up to `ms`) for attempts in flight, then stops. */
  async dispose(ms = 5_000): Promise<void> {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  /** Lets a one-shot process try what it queued before it exits. */
  async settle(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (this.running.size > 0 && Date.now() < end) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((r) => (timer = setTimeout(r, end - Date.now()))),
      ]);
      clearTimeout(timer);
    }
  }

  private path(id: string): string {
    return join(this.folder, `${id}.json`);
  }

  private async records(): Promise<DeliveryRecord[]> {
    await this.ready;
    const names = (await readdir(this.folder)).filter((n) => n.endsWith('.json')).sort();
    const out: DeliveryRecord[] = [];
    for (const name of names) {
      try {
        out.push(recordSchema.parse(JSON.parse(await readFile(join(this.folder, name), 'utf8'))));
      } catch {
        // Being replaced right now, or unreadable: left for the next look.
      }
    }
    return out;
  }

  private kick(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pass = this.runDue()
      .catch((error: unknown) => this.options.log('webhook deliveries could not be read', error))
      .finally(() => {
        this.running.delete(pass);
        if (!this.disposed) {
          this.timer = setTimeout(() => this.kick(), 1_000);
          this.timer.unref();
        }
      });
    this.running.add(pass);
  }

  /** Attempts every delivery that is due now, and forgets the oldest finished ones. */
  async runDue(): Promise<void> {
    const records = await this.records();
    const now = this.now();
    const due = records.filter(
      (r) => r.delivery.status === 'pending' && Date.parse(r.delivery.nextAttemptAt ?? '') <= now,
    );
    await Promise.all(due.map((r) => this.attemptLocked(r.delivery.id)));
    const finished = records.filter((r) => r.delivery.status !== 'pending');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      await unlink(this.path(old.delivery.id)).catch(() => undefined);
  }

  private async attemptLocked(id: string): Promise<void> {
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lockfile.lock(this.path(id), { stale: 30_000, retries: 0 });
    } catch {
      return; // another Slipway process is sending it
    }
    try {
      // Read again under the lock: the other process may have just finished it.
      const record = recordSchema.parse(JSON.parse(await readFile(this.path(id), 'utf8')));
      if (record.delivery.status !== 'pending' || Date.parse(record.delivery.nextAttemptAt ?? '') > this.now()) return;
      await this.attempt(record);
    } finally {
      await release();
    }
  }

  private async attempt(record: DeliveryRecord): Promise<void> {
    const { delivery } = record;
    const hook = (await this.hooks.list()).find((h) => h.id === delivery.hookId);
    if (!hook) {
      delivery.status = 'failed';
      delivery.attempts.push({ at: new Date(this.now()).toISOString(), error: 'The webhook was removed.' });
      delete delivery.nextAttemptAt;
      await writeDurably(this.path(delivery.id), JSON.stringify(record));
      return;
    }
    const at = new Date(this.now());
    record.firstAttemptAt ??= at.toISOString();
    const sentAt = Math.floor(at.getTime() / 1000);
    const body = JSON.stringify({ ...record.payload, sentAt });
    let responseCode: number | undefined;
    let error: string | undefined;
    try {
      const url = parseHookUrl(hook.url);
      await checkHookTarget(url, hook.allowPrivate);
      const answer = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual', // a redirect could point anywhere, including inside the network
        signal: AbortSignal.timeout(10_000),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Slipway-Webhooks',
          'Slipway-Event': record.payload.type,
          'Slipway-Delivery': delivery.id,
          'Slipway-Timestamp': String(sentAt),
          'Slipway-Signature': signBody(hook.secret, body),
        },
      });
      responseCode = answer.status;
      await answer.body?.cancel();
      if (answer.status < 200 || answer.status >= 300) error = `answered HTTP ${answer.status}`;
    } catch (caught) {
      error = caught instanceof AppError ? caught.message : 'could not be reached';
    }
    delivery.attempts.push({
      at: at.toISOString(),
      ...(responseCode ? { responseCode } : {}),
      ...(error ? { error } : {}),
    });
    if (!error) {
      delivery.status = 'delivered';
      delete delivery.nextAttemptAt;
      if (hook.failingSince) await this.markFailing(hook.id, undefined);
    } else {
      const delay = Math.min(this.retryMs * 2 ** (delivery.attempts.length - 1), MAX_DELAY_MS);
      const next = this.now() + delay;
      if (next - Date.parse(record.firstAttemptAt) > GIVE_UP_AFTER_MS) {
        delivery.status = 'failed';
        delete delivery.nextAttemptAt;
        if (!hook.failingSince) await this.markFailing(hook.id, record.firstAttemptAt);
        this.options.log(`webhook ${hook.url} failed for 24 h; delivery ${delivery.id} gave up`);
      } else {
        delivery.nextAttemptAt = new Date(next).toISOString();
      }
    }
    await writeDurably(this.path(delivery.id), JSON.stringify(record));
  }

  private async markFailing(hookId: string, since: string | undefined): Promise<void> {
    await this.hooks.update((hooks) =>
      hooks.map((h) => {
        if (h.id !== hookId) return h;
        const { failingSince: _old, ...rest } = h;
        return since ? { ...rest, failingSince: since } : rest;
      }),
    );
  }
}
