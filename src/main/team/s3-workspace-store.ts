// A team's workspace in S3: one object per pipeline (`<prefix>pipelines/<name>.json`), so teammates
// changing different pipelines never touch the same object. Every write is conditional: `If-None-Match: *`
// creates, `If-Match: <ETag read>` replaces; a teammate's change in between answers 412, which becomes
// CONFLICT, and the next read sees their version. Nothing is cached, so a re-read is always fresh.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TeamLocation } from '../../shared/contract/team.js';
import { AppError } from '../../shared/errors.js';
import { pipelineSchema, type ActivityStoreSetting, type Pipeline } from '../../shared/model.js';
import { findEnvironment, type WorkspaceStore } from '../workspace/workspace-store.js';
import { describeLocation, isNoSuchKey, isPreconditionFailed, normalPrefix, teamStoreError } from './s3-location.js';

interface Read {
  readonly pipeline: Pipeline;
  readonly etag: string;
}

export function createS3WorkspaceStore(location: TeamLocation, client: S3Client): WorkspaceStore {
  const { bucket } = location;
  const root = normalPrefix(location.prefix);
  const folder = `${root}pipelines/`;
  const keyOf = (name: string): string => `${folder}${name}.json`;

  const read = async (name: string): Promise<Read | undefined> => {
    let object;
    try {
      object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(name) }));
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw teamStoreError('GetObject', bucket, error);
    }
    const text = (await object.Body?.transformToString()) ?? '';
    let parsed;
    try {
      parsed = pipelineSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      throw new AppError(
        'INVALID_INPUT',
        `The team's pipeline object s3://${bucket}/${keyOf(name)} is not a valid pipeline. Restore an earlier version of it (S3 versioning) or delete it.`,
      );
    }
    return { pipeline: parsed.data, etag: object.ETag ?? '' };
  };

  const names = async (): Promise<string[]> => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, ...(token ? { ContinuationToken: token } : {}) }),
        );
      } catch (error) {
        throw teamStoreError('ListBucket', bucket, error);
      }
      for (const object of page.Contents ?? []) {
        const match = /^([a-z][a-z0-9-]{0,39})\.json$/.exec(object.Key?.slice(folder.length) ?? '');
        if (match) found.push(match[1]!);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  };

  const put = async (pipeline: Pipeline, condition: { IfNoneMatch: '*' } | { IfMatch: string }): Promise<void> => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keyOf(pipeline.name),
        Body: `${JSON.stringify(pipeline, null, 2)}\n`,
        ContentType: 'application/json',
        ...condition,
      }),
    );
  };

  const store: WorkspaceStore = {
    home: describeLocation(location),

    async list() {
      const all = await Promise.all((await names()).map(read));
      return all.flatMap((r) => (r ? [r.pipeline] : [])).sort((a, b) => a.name.localeCompare(b.name));
    },

    async get(name) {
      const found = await read(name);
      if (found) return found.pipeline;
      const known = (await names()).join(', ') || 'none yet';
      throw new AppError('NOT_FOUND', `The team workspace has no pipeline named "${name}". Pipelines: ${known}.`);
    },

    async create(pipeline) {
      const seen = new Set<string>();
      for (const env of pipeline.environments) {
        if (seen.has(env.name))
          throw new AppError('INVALID_INPUT', `Environment "${env.name}" appears twice in the pipeline.`);
        seen.add(env.name);
      }
      try {
        await put(pipeline, { IfNoneMatch: '*' });
      } catch (error) {
        if (isPreconditionFailed(error))
          throw new AppError(
            'CONFLICT',
            `A pipeline named "${pipeline.name}" already exists in the team workspace. Pick another name.`,
          );
        throw teamStoreError('PutObject', bucket, error);
      }
      return pipeline;
    },

    activityStore(): Promise<ActivityStoreSetting> {
      return Promise.resolve({
        kind: 's3',
        bucket,
        prefix: `${root}activity`,
        region: location.region,
        ...(location.profile ? { profile: location.profile } : {}),
      });
    },

    setActivityStore() {
      return Promise.reject(
        new AppError(
          'CONFLICT',
          `This workspace is the team's (${describeLocation(location)}); its activity is kept next to its pipelines. Run \`slipway team:leave\` first to choose another place.`,
        ),
      );
    },

    async updateTarget(pipelineName, environmentName, change) {
      const found = await read(pipelineName);
      if (!found) {
        await store.get(pipelineName); // throws NOT_FOUND naming the pipelines there are
        throw new AppError('CONFLICT', `Pipeline "${pipelineName}" changed while it was read. Try again.`);
      }
      const environment = findEnvironment(found.pipeline, environmentName);
      const before = environment.target;
      const after = change(before);
      if (JSON.stringify(before) === JSON.stringify(after)) return { before, after };
      const updated: Pipeline = {
        ...found.pipeline,
        environments: found.pipeline.environments.map((e) =>
          e.name === environmentName ? { ...e, target: after } : e,
        ),
      };
      try {
        await put(updated, { IfMatch: found.etag });
      } catch (error) {
        if (isPreconditionFailed(error) || isNoSuchKey(error)) {
          throw new AppError(
            'CONFLICT',
            `A teammate changed pipeline "${pipelineName}" while this change was being saved, so it was not saved. Look at the settings again (they are read afresh) and save once more.`,
          );
        }
        throw teamStoreError('PutObject', bucket, error);
      }
      return { before, after };
    },
  };
  return store;
}
