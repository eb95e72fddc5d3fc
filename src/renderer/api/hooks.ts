// react-query hooks, one per procedure the UI uses; streams write into the same caches.
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ActivityPage, ProcedureInput, ProcedureName, ProcedureOutput } from '../../shared/contract/index.js';
import type { AuditEvent, Deployment } from '../../shared/model.js';
import type { AppError } from '../../shared/errors.js';
import { useClient } from './context.js';
import { queryKey, queryPrefix } from './query-keys.js';

interface QueryOptions {
  readonly enabled?: boolean;
  readonly refetchInterval?: number | false;
}

export function useProcedure<N extends ProcedureName>(name: N, input: ProcedureInput<N>, options: QueryOptions = {}) {
  const client = useClient();
  return useQuery<ProcedureOutput<N>, AppError>({
    queryKey: queryKey(name, input),
    queryFn: () => client.call(name, input),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? false,
  });
}

export const useSystemInfo = () => useProcedure('system.info', {});
export const usePipelines = () => useProcedure('pipelines.list', {});
export const usePipelineStatus = (pipeline: string) =>
  // Instances can change state on their own (a crash, a health check), so status is polled gently too.
  useProcedure('pipelines.status', { pipeline }, { refetchInterval: 10_000 });
export const useCommits = (pipeline: string, enabled = true) =>
  useProcedure('pipelines.commits', { pipeline }, { enabled });
export const usePromotePreview = (pipeline: string, from: string, to: string) =>
  useProcedure('promote.preview', { pipeline, from, to });
export const useReleases = (pipeline: string, environment: string) =>
  useProcedure('releases.list', { pipeline, environment });
/** The config with the release it belongs to: a change is based on that release. */
export const useConfig = (pipeline: string, environment: string) =>
  useProcedure('config.snapshot', { pipeline, environment });
export function useDeployments(pipeline: string) {
  const client = useClient();
  return useQuery<Deployment[], AppError>({
    queryKey: queryKey('deployments.list', { pipeline }),
    queryFn: () => client.call('deployments.list', { pipeline }),
    structuralSharing: (cached, fetched) =>
      mergeDeployments(cached as Deployment[] | undefined, fetched as Deployment[]),
  });
}

export interface ActivityFilter {
  readonly pipeline?: string | undefined;
  readonly environment?: string | undefined;
}

const activityKey = (filter: ActivityFilter) => ['activity.list', filter] as const;

export function useActivity(filter: ActivityFilter) {
  const client = useClient();
  return useInfiniteQuery<ActivityPage, AppError, InfiniteData<ActivityPage>, readonly unknown[], string | undefined>({
    queryKey: activityKey(filter),
    queryFn: ({ pageParam }) => client.call('activity.list', { ...filter, limit: 50, cursor: pageParam }),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.cursor,
  });
}

const newer = (a: Deployment, b: Deployment): Deployment => ((b.revision ?? 0) > (a.revision ?? 0) ? b : a);

/**
 * Newest first, one entry per id. A stream event and a list answer can cross on the way (the list may
 * have been read before the event was sent); the copy with the higher revision wins either way.
 */
export function upsertDeployment(list: readonly Deployment[] | undefined, deployment: Deployment): Deployment[] {
  const known = (list ?? []).find((item) => item.id === deployment.id);
  const rest = (list ?? []).filter((item) => item.id !== deployment.id);
  return [known ? newer(known, deployment) : deployment, ...rest].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
}

/** A refetched list keeps any newer copy the stream already delivered. */
export function mergeDeployments(
  cached: readonly Deployment[] | undefined,
  fetched: readonly Deployment[],
): Deployment[] {
  const byId = new Map((cached ?? []).map((d) => [d.id, d]));
  return fetched.map((d) => {
    const known = byId.get(d.id);
    return known ? newer(d, known) : d;
  });
}

/** What may look different once a release was made in `pipeline`. */
function invalidateAfterRelease(queryClient: QueryClient, pipeline: string): void {
  void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline }) });
  void queryClient.invalidateQueries({ queryKey: queryPrefix('releases.list', { pipeline }) });
  void queryClient.invalidateQueries({ queryKey: queryPrefix('config.get', { pipeline }) });
  void queryClient.invalidateQueries({ queryKey: queryPrefix('config.snapshot', { pipeline }) });
  void queryClient.invalidateQueries({ queryKey: queryPrefix('promote.preview', { pipeline }) });
  void queryClient.invalidateQueries({ queryKey: ['activity.list'] });
}

/**
 * These procedures answer when the deployment has finished (or failed), which can take minutes; progress
 * arrives meanwhile on `deployments.watch`. The callbacks live on the hook, so they still run after the
 * dialog that started the deployment has closed.
 */
function useDeploymentMutation<N extends 'deploy' | 'promote' | 'rollback' | 'config.set' | 'config.unset'>(name: N) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<Deployment, AppError, ProcedureInput<N>>({
    mutationFn: (input) => client.call(name, input) as Promise<Deployment>,
    onSuccess: (deployment) => {
      queryClient.setQueryData<Deployment[]>(queryKey('deployments.list', { pipeline: deployment.pipeline }), (list) =>
        upsertDeployment(list, deployment),
      );
    },
    onSettled: (_deployment, _error, input) => invalidateAfterRelease(queryClient, input.pipeline),
  });
}

/**
 * Lets a dialog close as soon as its deployment is queued or running, rather than when it finishes:
 * `arm()` at submit, then `onStarted` fires once a deployment of `environment` appears that was not there.
 */
export function useDeploymentStarted(pipeline: string, environment: string, onStarted: () => void) {
  const deployments = useDeployments(pipeline);
  const [known, setKnown] = useState<ReadonlySet<string> | undefined>(undefined);
  const onStartedRef = useRef(onStarted);
  useEffect(() => {
    onStartedRef.current = onStarted;
  });
  const startedId = known
    ? deployments.data?.find((d) => d.environment === environment && !known.has(d.id))?.id
    : undefined;
  useEffect(() => {
    if (startedId !== undefined) onStartedRef.current();
  }, [startedId]);
  return {
    arm: () => setKnown(new Set((deployments.data ?? []).map((d) => d.id))),
    disarm: () => setKnown(undefined),
  };
}

export const useDeploy = () => useDeploymentMutation('deploy');
export const usePromote = () => useDeploymentMutation('promote');
export const useRollback = () => useDeploymentMutation('rollback');
export const useConfigSet = () => useDeploymentMutation('config.set');
export const useConfigUnset = () => useDeploymentMutation('config.unset');

/**
 * Stops the deploy running in an environment. It answers with the failed deployment once the provider has
 * stopped; the watch stream brings the same news, so the cache is updated from whichever comes first.
 */
export function useAbortDeployment() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<Deployment, AppError, ProcedureInput<'deployments.abort'>>({
    mutationFn: (input) => client.call('deployments.abort', input),
    onSuccess: (deployment) => {
      queryClient.setQueryData<Deployment[]>(queryKey('deployments.list', { pipeline: deployment.pipeline }), (list) =>
        upsertDeployment(list, deployment),
      );
    },
    onSettled: (_deployment, _error, input) => invalidateAfterRelease(queryClient, input.pipeline),
  });
}

export function useMarkNoRollback() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<ProcedureOutput<'releases.markNoRollback'>, AppError, ProcedureInput<'releases.markNoRollback'>>({
    mutationFn: (input) => client.call('releases.markNoRollback', input),
    onSuccess: (_release, input) => {
      void queryClient.invalidateQueries({ queryKey: queryPrefix('releases.list', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: ['activity.list'] });
    },
  });
}

/** Keeps the deployments cache of `pipeline` live, and refreshes what a finished deployment changed. */
export function useDeploymentsLive(pipeline: string): void {
  const client = useClient();
  const queryClient = useQueryClient();
  const lastStatusRefresh = useRef(0);
  useEffect(() => {
    const unsubscribe = client.subscribe('deployments.watch', { pipeline }, (deployment) => {
      queryClient.setQueryData<Deployment[]>(queryKey('deployments.list', { pipeline }), (list) =>
        upsertDeployment(list, deployment),
      );
      if (deployment.status === 'succeeded' || deployment.status === 'failed') {
        invalidateAfterRelease(queryClient, pipeline);
        return;
      }
      // Instances come and go during a rollout; refresh health at most once a second while it runs.
      const now = Date.now();
      if (now - lastStatusRefresh.current > 1_000) {
        lastStatusRefresh.current = now;
        void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline }) });
      }
    });
    // Read the list again now that the stream is open: a list read before it could miss a step that
    // happened in between, and nothing else would arrive to correct it until the next step.
    void queryClient.invalidateQueries({ queryKey: queryKey('deployments.list', { pipeline }) });
    return unsubscribe;
  }, [client, queryClient, pipeline]);
}

/** Prepends events as they are written, without refetching the feed. */
export function prependActivity(
  data: InfiniteData<ActivityPage, string | undefined> | undefined,
  event: AuditEvent,
): InfiniteData<ActivityPage, string | undefined> | undefined {
  if (!data) return data;
  if (data.pages.some((page) => page.events.some((item) => item.id === event.id))) return data;
  const [first, ...rest] = data.pages;
  if (!first) return data;
  return { ...data, pages: [{ ...first, events: [event, ...first.events] }, ...rest] };
}

export function useActivityLive(filter: ActivityFilter): void {
  const client = useClient();
  const queryClient = useQueryClient();
  const { pipeline, environment } = filter;
  useEffect(() => {
    const input = { pipeline, environment };
    return client.subscribe('activity.watch', input, (event) => {
      queryClient.setQueryData<InfiniteData<ActivityPage, string | undefined>>(activityKey(input), (data) =>
        prependActivity(data, event),
      );
    });
  }, [client, queryClient, pipeline, environment]);
}

// AWS: the new-pipeline page and the ECS parts of an environment column.

/** Who the credentials of `location` are; enabled once the person asks ("Check credentials"). */
export const useAwsWhoami = (location: ProcedureInput<'aws.whoami'> | undefined) =>
  useProcedure('aws.whoami', location ?? { region: '' }, { enabled: location !== undefined });
export const useAwsDiscover = (location: ProcedureInput<'aws.discover'> | undefined) =>
  useProcedure('aws.discover', location ?? { region: '' }, { enabled: location !== undefined });

export function useCreatePipeline() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<ProcedureOutput<'pipelines.create'>, AppError, ProcedureInput<'pipelines.create'>>({
    mutationFn: (input) => client.call('pipelines.create', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['pipelines.list'] }),
  });
}

export function useKillInstance() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<ProcedureOutput<'instances.kill'>, AppError, ProcedureInput<'instances.kill'>>({
    mutationFn: (input) => client.call('instances.kill', input),
    onSettled: (_out, _error, input) => {
      void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: queryPrefix('instances.list', { pipeline: input.pipeline }) });
    },
  });
}

/** Resolves once the pipeline's status has been read again, so the warning it answers is gone when it settles. */
export function useMakeDeploysSafe() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<
    ProcedureOutput<'environments.makeDeploysSafe'>,
    AppError,
    ProcedureInput<'environments.makeDeploysSafe'>
  >({
    mutationFn: (input) => client.call('environments.makeDeploysSafe', input),
    onSuccess: async (_out, input) => {
      void queryClient.invalidateQueries({ queryKey: ['activity.list'] });
      await queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline: input.pipeline }) });
    },
  });
}

// Local environments: instances, health check, stop signal and grace period.

export const useEnvironment = (pipeline: string, environment: string) =>
  useProcedure('environments.get', { pipeline, environment });

/** Saves a local environment's settings; nothing running changes until the next deploy. */
export function useConfigureEnvironment() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<ProcedureOutput<'environments.configure'>, AppError, ProcedureInput<'environments.configure'>>({
    mutationFn: (input) => client.call('environments.configure', input),
    onSuccess: (_environment, input) => {
      void queryClient.invalidateQueries({ queryKey: queryPrefix('environments.get', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.get', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: queryPrefix('pipelines.status', { pipeline: input.pipeline }) });
      void queryClient.invalidateQueries({ queryKey: ['activity.list'] });
    },
  });
}

// The team workspace: where it lives, deploys in progress and waiting, events waiting to upload.

export const useTeamStatus = () => useProcedure('team.status', {}, { refetchInterval: 2_000 });

/** Joining or leaving changes every list the window shows; it is opened afresh afterwards. */
export function useTeamChange() {
  const client = useClient();
  return useMutation<
    { description: string },
    AppError,
    { action: 'join'; location: ProcedureInput<'team.join'> } | { action: 'leave' }
  >({
    mutationFn: (change) =>
      change.action === 'join' ? client.call('team.join', change.location) : client.call('team.leave', {}),
  });
}

// Webhooks of a pipeline and their deliveries (polled while the page is open: retries happen in the background).

export const useWebhooks = (pipeline: string) =>
  useProcedure('webhooks.list', { pipeline }, { refetchInterval: 5_000 });
export const useWebhookDeliveries = (pipeline: string) =>
  useProcedure('webhooks.deliveries', { pipeline }, { refetchInterval: 2_000 });

export function useWebhookChange<N extends 'webhooks.add' | 'webhooks.remove' | 'webhooks.redeliver'>(name: N) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<ProcedureOutput<N>, AppError, ProcedureInput<N>>({
    mutationFn: (input) => client.call(name, input),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['webhooks.list'] });
      void queryClient.invalidateQueries({ queryKey: ['webhooks.deliveries'] });
    },
  });
}
