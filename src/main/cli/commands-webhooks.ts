// `slipway webhooks …`: signed HTTP callbacks per pipeline, their deliveries, and redelivery.
import { webhookEventNames } from '../../shared/contract/webhooks.js';
import { PIPELINE, str } from './commands-read.js';
import { relativeTime, table } from './format.js';
import { UsageError, type CommandSpec } from './spec.js';

const EVENTS = ['*', ...webhookEventNames];

export const webhooks: CommandSpec = {
  name: 'webhooks',
  summary: "A pipeline's webhooks: URL, events, and whether deliveries are failing.",
  args: [PIPELINE],
  options: {},
  async run(ctx) {
    const value = await ctx.call('webhooks.list', { pipeline: ctx.args[0] ?? '' });
    const human =
      value.length === 0
        ? `No webhooks yet. Add one with \`slipway webhooks:add ${ctx.args[0]} URL --events promote,deploy.failed\`.\n`
        : table(
            ['ID', 'URL', 'EVENTS', 'STATUS'],
            value.map((h) => [
              h.id,
              h.url,
              h.events.join(','),
              h.failingSince ? `failing since ${h.failingSince}` : 'ok',
            ]),
          );
    return { value, human };
  },
};

export const webhooksAdd: CommandSpec = {
  name: 'webhooks:add',
  summary: 'Add a webhook; without --secret one is generated and printed once.',
  args: [PIPELINE, { name: 'URL', required: true }],
  options: {
    events: {
      type: 'string',
      value: 'A,B',
      help: `Events to send, comma-separated, or * for all: ${EVENTS.join(', ')}.`,
      required: true,
    },
    secret: { type: 'string', value: 'S', help: 'The signing secret (at least 16 characters).' },
    'allow-private': { type: 'boolean', help: 'Allow a loopback or private-network address for this hook.' },
  },
  examples: [
    'slipway webhooks:add shop https://hooks.example.com/slipway --events promote,rollback,deploy.failed',
    'slipway webhooks:add shop http://127.0.0.1:9000/hook --events "*" --allow-private',
  ],
  async run(ctx) {
    const events = (str(ctx.opts, 'events') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const unknown = events.filter((e) => !EVENTS.includes(e));
    if (events.length === 0 || unknown.length > 0)
      throw new UsageError(
        `Unknown event(s): ${unknown.join(', ') || '(none given)'}.`,
        `Pick from: ${EVENTS.join(', ')}.`,
      );
    const secret = str(ctx.opts, 'secret');
    const value = await ctx.call('webhooks.add', {
      pipeline: ctx.args[0] ?? '',
      url: ctx.args[1] ?? '',
      events: events as (typeof webhookEventNames)[number][],
      ...(secret ? { secret } : {}),
      allowPrivate: ctx.opts['allow-private'] === true,
    });
    const shown = value.generatedSecret
      ? `Signing secret (shown this once; keep it in the receiver's settings):\n  ${value.generatedSecret}\n`
      : '';
    return {
      value,
      human: `Added webhook ${value.hook.id} → ${value.hook.url} (${value.hook.events.join(', ')}).\n${shown}`,
    };
  },
};

export const webhooksRemove: CommandSpec = {
  name: 'webhooks:remove',
  summary: 'Remove a webhook.',
  args: [PIPELINE, { name: 'ID', required: true }],
  options: {},
  async run(ctx) {
    const value = await ctx.call('webhooks.remove', { pipeline: ctx.args[0] ?? '', id: ctx.args[1] ?? '' });
    return { value, human: `Removed webhook ${value.removed}.\n` };
  },
};

export const webhooksDeliveries: CommandSpec = {
  name: 'webhooks:deliveries',
  summary: "Recent deliveries of a pipeline's webhooks: status, response codes, attempts.",
  args: [PIPELINE],
  options: { hook: { type: 'string', value: 'ID', help: 'Only this webhook.' } },
  async run(ctx) {
    const hook = str(ctx.opts, 'hook');
    const value = await ctx.call('webhooks.deliveries', { pipeline: ctx.args[0] ?? '', ...(hook ? { hook } : {}) });
    const now = ctx.io.now();
    const human =
      value.length === 0
        ? 'No deliveries yet.\n'
        : table(
            ['DELIVERY', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST', 'WHEN'],
            value.map((d) => {
              const last = d.attempts.at(-1);
              return [
                d.id,
                d.type,
                d.status,
                String(d.attempts.length),
                last ? (last.responseCode ? `HTTP ${last.responseCode}` : (last.error ?? '—')) : '—',
                relativeTime(last?.at, now),
              ];
            }),
          );
    return { value, human };
  },
};

export const webhooksRedeliver: CommandSpec = {
  name: 'webhooks:redeliver',
  summary: 'Send a delivery again (same event id, so receivers can drop repeats).',
  args: [{ name: 'DELIVERY', required: true }],
  options: {},
  examples: ['slipway webhooks:redeliver 1764532800000-3f9a0c1d'],
  async run(ctx) {
    const value = await ctx.call('webhooks.redeliver', { delivery: ctx.args[0] ?? '' });
    return { value, human: `Queued again as delivery ${value.id}.\n` };
  },
};
