// Notices alarm state changes by re-reading each environment's alarms as often as its provider says.
// Only changes are emitted: the first read of an environment sets what "before" is; an alarm that
// appears after that (just created) and is already in ALARM is a change too.
import type { AlarmChange } from '../../shared/contract/index.js';
import type { AlarmState } from '../../shared/model.js';
import type { Disposable } from '../util/disposable.js';
import type { CoreDeps } from './core-deps.js';

/** How often the list of pipelines and environments is read again (new environments, new alarms). */
const ENVIRONMENTS_REFRESH_MS = 30_000;

export function watchAlarms(
  deps: CoreDeps,
  filter: { pipeline?: string | undefined },
  emit: (change: AlarmChange) => void,
): Disposable {
  const known = new Map<string, AlarmState>();
  const primed = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;
  let refresh: ReturnType<typeof setTimeout> | undefined;

  const poll = async (pipelineName: string, environmentName: string): Promise<void> => {
    const key = `${pipelineName}/${environmentName}`;
    let next = 60_000;
    try {
      const pipeline = await deps.workspace.get(pipelineName);
      const environment = pipeline.environments.find((candidate) => candidate.name === environmentName);
      if (!environment) return;
      const provider = await deps.providers.get(environment.target.provider);
      const alarms = provider.capabilities.alarms;
      if (!alarms) return;
      next = alarms.refreshMs;
      for (const alarm of await alarms.list({ pipeline, environment })) {
        const id = `${key}/${alarm.name}`;
        const previous = known.get(id);
        known.set(id, alarm.state);
        const changed = previous === undefined ? primed.has(key) && alarm.state === 'ALARM' : previous !== alarm.state;
        if (changed && !stopped) {
          emit({
            pipeline: pipelineName,
            environment: environmentName,
            alarm,
            ...(previous === undefined ? {} : { previous }),
          });
        }
      }
      primed.add(key);
    } catch (error) {
      deps.log(`could not read the alarms of ${key}`, error);
    } finally {
      if (!stopped && timers.has(key))
        timers.set(
          key,
          setTimeout(() => void poll(pipelineName, environmentName), next),
        );
    }
  };

  const environments = async (): Promise<void> => {
    try {
      const pipelines = await deps.workspace.list();
      for (const pipeline of pipelines) {
        if (filter.pipeline && pipeline.name !== filter.pipeline) continue;
        for (const environment of pipeline.environments) {
          const key = `${pipeline.name}/${environment.name}`;
          if (timers.has(key) || stopped) continue;
          timers.set(
            key,
            setTimeout(() => undefined, 0),
          );
          void poll(pipeline.name, environment.name);
        }
      }
    } catch (error) {
      deps.log('could not list the environments to watch alarms on', error);
    }
    if (!stopped) refresh = setTimeout(() => void environments(), ENVIRONMENTS_REFRESH_MS);
  };

  void environments();
  return {
    dispose() {
      stopped = true;
      if (refresh) clearTimeout(refresh);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
