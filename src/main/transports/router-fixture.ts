// A real router over a small handler table, for transport tests: the router and transports run for real,
// only the use cases behind them are stand-ins.
import { AppError } from '../../shared/errors.js';
import type { Deployment } from '../../shared/model.js';
import { createRouter, type ProcedureHandlers, type Router, type StreamHandlers } from '../router/router.js';
import { toDisposable } from '../util/disposable.js';

export interface RouterFixture {
  readonly router: Router;
  /** Streams currently open, by name. */
  readonly open: Map<string, number>;
  /** Emit a deployment to every open deployments.watch stream. */
  emitDeployment(deployment: Deployment): void;
  /** Transports seen by calls, in order. */
  readonly transports: string[];
}

export const sampleDeployment = (id: string, status: Deployment['status']): Deployment => ({
  id,
  pipeline: 'shop',
  environment: 'staging',
  kind: 'deploy',
  summary: 'Deploy main to staging',
  actor: { user: 'ada' },
  status,
  steps: [],
  queuedAt: '2030-01-01T00:00:00.000Z',
});

export function createRouterFixture(): RouterFixture {
  const open = new Map<string, number>();
  const watchers = new Set<(deployment: Deployment) => void>();
  const transports: string[] = [];
  const track = (name: string, delta: number): void => {
    open.set(name, (open.get(name) ?? 0) + delta);
  };

  // Partial table: transports only need a few procedures, the router reports the rest as missing.
  const handlers = {
    'system.info': async (_args, ctx) => {
      transports.push(ctx.transport);
      return { version: '1.2.3', actor: { user: 'ada' }, home: '/tmp/slipway', auditStore: 'folder' };
    },
    'pipelines.get': async ({ pipeline }) => {
      throw new AppError('NOT_FOUND', `There is no pipeline named "${pipeline}".`);
    },
    'pipelines.list': async () => {
      throw new Error('disk on fire at /secret/path');
    },
  } as Partial<ProcedureHandlers> as ProcedureHandlers;

  const streamHandlers = {
    'deployments.watch': (_args, emit) => {
      track('deployments.watch', 1);
      watchers.add(emit);
      return toDisposable(() => {
        watchers.delete(emit);
        track('deployments.watch', -1);
      });
    },
  } as Partial<StreamHandlers> as StreamHandlers;

  return {
    router: createRouter(handlers, streamHandlers),
    open,
    transports,
    emitDeployment: (deployment) => {
      for (const emit of watchers) emit(deployment);
    },
  };
}
