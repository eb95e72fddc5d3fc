import { z } from 'zod';
import { actorSchema, alarmSchema, auditActionSchema, nameSchema, versionSchema } from '../model.js';
import { procedure } from './define.js';

/** What a hook can listen to: the activity feed's actions, deploy start/failure, alarm state changes, `*` for all. */
export const webhookEventNames = [
  ...auditActionSchema.options,
  'deploy.started',
  'deploy.failed',
  'alarm.state',
] as const;
export const webhookEventNameSchema = z.enum(webhookEventNames);
export type WebhookEventName = z.infer<typeof webhookEventNameSchema>;

export const webhookSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  url: z.string(),
  /** Event names, or `["*"]` for every event. */
  events: z.array(z.union([webhookEventNameSchema, z.literal('*')])),
  allowPrivate: z.boolean(),
  createdAt: z.string(),
  /** Set while deliveries to it have failed for 24 h; cleared by the next success. */
  failingSince: z.string().optional(),
});
export type Webhook = z.infer<typeof webhookSchema>;

/**
 * The JSON body every delivery carries (stable: fields are only ever added). `Slipway-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body with the hook's secret>`; `Slipway-Timestamp` is `sentAt`.
 */
export const webhookPayloadSchema = z.object({
  /** The event's id: the same on every attempt and redelivery, so a receiver can drop repeats. */
  id: z.string(),
  type: webhookEventNameSchema,
  occurredAt: z.string(),
  /** Unix seconds when this attempt was sent; also in the Slipway-Timestamp header. */
  sentAt: z.number().int(),
  pipeline: z.string(),
  environment: z.string().optional(),
  actor: actorSchema,
  summary: z.string(),
  result: z.enum(['succeeded', 'failed']).optional(),
  beforeVersion: versionSchema.optional(),
  afterVersion: versionSchema.optional(),
  /** Config events: the key names changed, never values or hashes. */
  keys: z.array(z.string()).optional(),
  errorCode: z.string().optional(),
  /** alarm.state: the alarm and the state it left (absent when it was first seen already in ALARM). */
  alarm: alarmSchema
    .pick({ name: true, metric: true, threshold: true, state: true, reason: true, stateChangedAt: true })
    .extend({ previous: alarmSchema.shape.state.optional() })
    .optional(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  hookId: z.string(),
  pipeline: z.string(),
  url: z.string(),
  eventId: z.string(),
  type: webhookEventNameSchema,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(
    z.object({
      at: z.string(),
      /** The receiver's HTTP status, absent when it could not be reached. */
      responseCode: z.number().int().optional(),
      error: z.string().optional(),
    }),
  ),
  nextAttemptAt: z.string().optional(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

const hookRef = z.object({ pipeline: nameSchema, id: z.string().min(1).max(64) });

export const webhookProcedures = {
  'webhooks.list': procedure(
    "A pipeline's webhooks (never their secrets).",
    z.object({ pipeline: nameSchema }),
    z.array(webhookSchema),
  ),
  'webhooks.add': procedure(
    'Add a webhook: http(s) URL, the events it wants, a secret (generated and shown once when none is given).',
    z.object({
      pipeline: nameSchema,
      url: z.string().min(1).max(2048),
      events: z.array(z.union([webhookEventNameSchema, z.literal('*')])).min(1),
      secret: z.string().min(16, 'use a secret of at least 16 characters').max(256).optional(),
      allowPrivate: z.boolean().default(false),
    }),
    z.object({ hook: webhookSchema, generatedSecret: z.string().optional() }),
  ),
  'webhooks.remove': procedure(
    'Remove a webhook; deliveries still queued for it are dropped.',
    hookRef,
    z.object({ removed: z.string() }),
  ),
  'webhooks.deliveries': procedure(
    "Recent deliveries of a pipeline's webhooks, newest first: status, response codes, attempts.",
    z.object({
      pipeline: nameSchema,
      hook: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    z.array(webhookDeliverySchema),
  ),
  'webhooks.redeliver': procedure(
    'Send a delivery again (same event id, new attempts).',
    z.object({ delivery: z.string().min(1).max(64) }),
    webhookDeliverySchema,
  ),
};
