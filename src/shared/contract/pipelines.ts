import { z } from 'zod';
import { commitSchema, environmentStatusSchema, nameSchema, pipelineSchema } from '../model.js';
import { procedure } from './define.js';

export const pipelineRef = z.object({ pipeline: nameSchema });
export const environmentRef = pipelineRef.extend({ environment: nameSchema });

export const pipelineSummarySchema = z.object({
  name: z.string(),
  environments: z.array(z.object({ name: z.string(), provider: z.enum(['local', 'aws-ecs']) })),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;

export const pipelineStatusSchema = z.object({
  pipeline: pipelineSchema,
  environments: z.array(environmentStatusSchema),
});
export type PipelineStatus = z.infer<typeof pipelineStatusSchema>;

export const pipelineProcedures = {
  'pipelines.list': procedure('List the workspace pipelines.', z.object({}), z.array(pipelineSummarySchema)),
  'pipelines.get': procedure('One pipeline and its environments.', pipelineRef, pipelineSchema),
  'pipelines.status': procedure(
    'Every environment of a pipeline: current release, instances, URL.',
    pipelineRef,
    pipelineStatusSchema,
  ),
  'pipelines.create': procedure('Create a pipeline.', pipelineSchema, pipelineSchema),
  'pipelines.commits': procedure(
    'Recent commits of the pipeline repository, to pick what to deploy.',
    pipelineRef.extend({ limit: z.number().int().min(1).max(200).default(30) }),
    z.array(commitSchema),
  ),
};
