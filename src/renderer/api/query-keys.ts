// Query keys are [procedure name, input]; react-query matches object keys partially, so
// `['releases.list', { pipeline }]` invalidates every environment's history at once.
import type { ProcedureInput, ProcedureName } from '../../shared/contract/index.js';

export const queryKey = <N extends ProcedureName>(name: N, input: ProcedureInput<N>) => [name, input] as const;

/** A partial key: every query of `name` whose input contains `partial`. */
export const queryPrefix = <N extends ProcedureName>(name: N, partial?: Partial<ProcedureInput<N>>) =>
  (partial === undefined ? [name] : [name, partial]) as readonly unknown[];
