// Webhooks as the contract offers them, and how events become deliveries: every activity event
// (config events with key names only), deploy started/failed, and alarm state changes seen by a
// long-running Slipway (the window, `slipway serve`).
import { randomBytes } from 'node:crypto';
import type { ProcedureHandlers } from '../router/router.js';
import type { WebhookPayload } from '../../shared/contract/webhooks.js';
import { AppError } from '../../shared/errors.js';
import type { AlarmChange } from '../../shared/contract/index.js';
import type { Actor, AuditEvent, Deployment } from '../../shared/model.js';
import type { Disposable } from '../util/disposable.js';
import { checkHookTarget, parseHookUrl } from './target-check.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookStore, newSecret, publicHook, type WebhookStore } from './webhook-store.js';

export interface Webhooks {
  readonly handlers: Pick<
    ProcedureHandlers,
    'webhooks.list' | 'webhooks.add' | 'webhooks.remove' | 'webhooks.deliveries' | 'webhooks.redeliver'
  >;
  publishActivity(event: AuditEvent): Promise<void>;
  publishDeployment(phase: 'started' | 'failed', deployment: Deployment): Promise<void>;
  publishAlarm(change: AlarmChange): Promise<void>;
  /**
   * Watches the alarms of every pipeline with a hook for `alarm.state` (or `*`), and only those: each
   * watch costs the cloud a read per environment every few seconds. Looks again when hooks change.
   */
  watchAlarms(watch: (pipeline: string, emit: (change: AlarmChange) => void) => Disposable): Disposable;
  /** Stops retrying here after giving attempts in flight a moment (a one-shot CLI tries what it queued). */
  dispose(): Promise<void>;
}

export function createWebhooks(options: {
  home: string;
  /** Where hooks are kept: a team's bucket, or this machine's SLIPWAY_HOME/webhooks (the default). */
  store?: (local: WebhookStore) => WebhookStore;
  /** Throws NOT_FOUND for an unknown pipeline. */
  checkPipeline: (name: string) => Promise<unknown>;
  /** Who is named as having seen an alarm change: the person running this Slipway. */
  actor: () => Promise<Actor>;
  log: (message: string, error?: unknown) => void;
  /** How often the alarm watches are matched to the hooks again (default 30 s). */
  alarmHooksRefreshMs?: number;
}): Webhooks {
  const local = createWebhookStore(options.home);
  const store = options.store?.(local) ?? local;
  const dispatcher = new WebhookDispatcher(store, { log: options.log });
  // Any Slipway process of the workspace retries what is queued, not only the one that queued it.
  dispatcher.start();

  const wants = (events: readonly string[], type: string): boolean => events.includes('*') || events.includes(type);
  let hooksChanged = (): void => undefined;

  const publish = async (payload: Omit<WebhookPayload, 'sentAt'>, once = false): Promise<void> => {
    try {
      const hooks = (await store.list()).filter((h) => h.pipeline === payload.pipeline);
      if (hooks.length === 0) return;
      // The window and `serve` on one machine both watch alarms: the first to queue the change sends it.
      if (once && (await dispatcher.hasEvent(payload.id))) return;
      await dispatcher.enqueue(hooks, payload);
    } catch (error) {
      options.log(`could not queue webhook deliveries for ${payload.type} ${payload.id}`, error);
    }
  };

  const api: Webhooks = {
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
        hooksChanged();
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
        hooksChanged();
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

    publishAlarm: async (change) => {
      const { alarm } = change;
      const seenAt = new Date().toISOString();
      await publish(
        {
          // Stable across processes, so two Slipways that see one change send one event id.
          id: `alarm.${change.pipeline}.${change.environment}.${alarm.name}.${alarm.state}.${alarm.stateChangedAt ?? seenAt}`,
          type: 'alarm.state',
          occurredAt: alarm.stateChangedAt ?? seenAt,
          pipeline: change.pipeline,
          environment: change.environment,
          actor: await options.actor(),
          summary: `Alarm ${alarm.name} on ${change.pipeline}/${change.environment} is ${alarm.state}${alarm.reason ? `: ${alarm.reason}` : ''}`,
          alarm: {
            name: alarm.name,
            metric: alarm.metric,
            threshold: alarm.threshold,
            state: alarm.state,
            ...(alarm.reason ? { reason: alarm.reason } : {}),
            ...(alarm.stateChangedAt ? { stateChangedAt: alarm.stateChangedAt } : {}),
            ...(change.previous ? { previous: change.previous } : {}),
          },
        },
        true,
      );
    },

    watchAlarms(watch) {
      const watching = new Map<string, Disposable>();
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const match = async (): Promise<void> => {
        if (timer) clearTimeout(timer);
        try {
          const hooks = await store.list();
          const wanted = new Set(hooks.filter((h) => wants(h.events, 'alarm.state')).map((h) => h.pipeline));
          if (stopped) return;
          for (const [pipeline, watcher] of watching)
            if (!wanted.has(pipeline)) {
              watcher.dispose();
              watching.delete(pipeline);
            }
          for (const pipeline of wanted)
            if (!watching.has(pipeline))
              watching.set(
                pipeline,
                watch(pipeline, (change) => void api.publishAlarm(change)),
              );
        } catch (error) {
          options.log('could not read the webhooks to watch alarms for', error);
        }
        if (!stopped) {
          timer = setTimeout(() => void match(), options.alarmHooksRefreshMs ?? 30_000);
          timer.unref();
        }
      };
      hooksChanged = () => void match();
      void match();
      return {
        dispose() {
          stopped = true;
          hooksChanged = () => undefined;
          if (timer) clearTimeout(timer);
          for (const watcher of watching.values()) watcher.dispose();
          watching.clear();
        },
      };
    },

    async dispose() {
      await dispatcher.settle(5_000);
      await dispatcher.dispose();
    },
  };
  return api;
}
