// Webhooks as the contract offers them, and how events become deliveries: every activity event
// (config events with key names only), plus deploy started/failed.
import { randomBytes } from 'node:crypto';
import type { ProcedureHandlers } from '../router/router.js';
import type { WebhookPayload } from '../../shared/contract/webhooks.js';
import { AppError } from '../../shared/errors.js';
import type { AuditEvent, Deployment } from '../../shared/model.js';
import { checkHookTarget, parseHookUrl } from './target-check.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookStore, newSecret, publicHook } from './webhook-store.js';

export interface Webhooks {
  readonly handlers: Pick<
    ProcedureHandlers,
    'webhooks.list' | 'webhooks.add' | 'webhooks.remove' | 'webhooks.deliveries' | 'webhooks.redeliver'
  >;
  publishActivity(event: AuditEvent): Promise<void>;
  publishDeployment(phase: 'started' | 'failed', deployment: Deployment): Promise<void>;
  /** Stops retrying here after giving attempts in flight a moment (a one-shot CLI tries what it queued). */
  dispose(): Promise<void>;
}

export function createWebhooks(options: {
  home: string;
  /** Throws NOT_FOUND for an unknown pipeline. */
  checkPipeline: (name: string) => Promise<unknown>;
  log: (message: string, error?: unknown) => void;
}): Webhooks {
  const store = createWebhookStore(options.home);
  const dispatcher = new WebhookDispatcher(store, { log: options.log });
  // Any Slipway process of the workspace retries what is queued, not only the one that queued it.
  dispatcher.start();

  const publish = async (payload: Omit<WebhookPayload, 'sentAt'>): Promise<void> => {
    try {
      const hooks = (await store.list()).filter((h) => h.pipeline === payload.pipeline);
      if (hooks.length === 0) return;
      await dispatcher.enqueue(hooks, payload);
    } catch (error) {
      options.log(`could not queue webhook deliveries for ${payload.type} ${payload.id}`, error);
    }
  };

  return {
    handlers: {
      'webhooks.list': async ({ pipeline }) => {
        await options.checkPipeline(pipeline);
        return (await store.list()).filter((h) => h.pipeline === pipeline).map(publicHook);
      },
      'webhooks.add': async (args) => {
        await options.checkPipeline(args.pipeline);
        const url = parseHookUrl(args.url);
        await checkHookTarget(url, args.allowPrivate);
        const secret = args.secret ?? newSecret();
        const hook = {
          id: `wh_${randomBytes(6).toString('hex')}`,
          pipeline: args.pipeline,
          url: url.toString(),
          events: args.events.includes('*') ? (['*'] as const).slice() : [...new Set(args.events)],
          allowPrivate: args.allowPrivate,
          createdAt: new Date().toISOString(),
          secret,
        };
        await store.update((hooks) => [...hooks, hook]);
        return { hook: publicHook(hook), ...(args.secret ? {} : { generatedSecret: secret }) };
      },
      'webhooks.remove': async ({ pipeline, id }) => {
        let found = false;
        await store.update((hooks) =>
          hooks.filter((h) => {
            const match = h.id === id && h.pipeline === pipeline;
            found ||= match;
            return !match;
          }),
        );
        if (!found)
          throw new AppError(
            'NOT_FOUND',
            `Pipeline "${pipeline}" has no webhook ${id}. See \`slipway webhooks ${pipeline}\`.`,
          );
        return { removed: id };
      },
      'webhooks.deliveries': async (args) => {
        await options.checkPipeline(args.pipeline);
        return dispatcher.list(args);
      },
      'webhooks.redeliver': (args) => dispatcher.redeliver(args.delivery),
    },

    publishActivity: (event) =>
      publish({
        id: event.id,
        type: event.action,
        occurredAt: event.at,
        pipeline: event.pipeline,
        ...(event.environment ? { environment: event.environment } : {}),
        actor: event.actor,
        summary: event.summary,
        result: event.result,
        ...(event.beforeVersion !== undefined ? { beforeVersion: event.beforeVersion } : {}),
        ...(event.afterVersion !== undefined ? { afterVersion: event.afterVersion } : {}),
        ...(event.keys ? { keys: event.keys.map((k) => k.key) } : {}),
        ...(event.errorCode ? { errorCode: event.errorCode } : {}),
      }),

    publishDeployment: (phase, deployment) =>
      publish({
        id: `${deployment.id}.${phase}`,
        type: phase === 'started' ? 'deploy.started' : 'deploy.failed',
        occurredAt: new Date().toISOString(),
        pipeline: deployment.pipeline,
        environment: deployment.environment,
        actor: deployment.actor,
        summary:
          phase === 'started' ? deployment.summary : `${deployment.summary} failed: ${deployment.error?.message ?? ''}`,
        ...(phase === 'failed' ? { result: 'failed' as const } : {}),
        ...(deployment.previousVersion !== undefined ? { beforeVersion: deployment.previousVersion } : {}),
        ...(deployment.releaseVersion !== undefined ? { afterVersion: deployment.releaseVersion } : {}),
        ...(deployment.error ? { errorCode: deployment.error.code } : {}),
      }),

    async dispose() {
      await dispatcher.settle(5_000);
      await dispatcher.dispose();
    },
  };
}
