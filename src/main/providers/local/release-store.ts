// Releases of one environment as files: `v<N>.json` is written once and never changed; the bits that
// change later (status, failure, no-rollback mark) live in their own small files, each replaced
// atomically, so an update can never damage the history.
import { link, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import {
  actorSchema,
  releaseSchema,
  releaseStatusSchema,
  type Actor,
  type Release,
  type ReleaseStatus,
} from '../../../shared/model.js';
import type { ReleaseSpec } from '../provider.js';
import { damagedFile } from '../../util/storage-error.js';
import { tempSuffix } from '../../util/temp-files.js';
import { isErrno, readJsonFile, writeJsonAtomic } from './files.js';

const statusFileSchema = z.object({ status: releaseStatusSchema, failure: z.string().optional(), at: z.string() });
const noRollbackFileSchema = z.object({ reason: z.string(), actor: actorSchema, at: z.string() });

const releaseFile = /^v([1-9][0-9]*)\.json$/;

export class ReleaseStore {
  constructor(private readonly dir: string) {}

  private file(version: number, suffix = ''): string {
    return join(this.dir, `v${version}${suffix}.json`);
  }

  async versions(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    return names
      .map((name) => releaseFile.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  }

  /** The newest release that served: reads back only until it is found, not the whole history. */
  async current(): Promise<Release | undefined> {
    for (const version of await this.versions()) {
      const release = await this.get(version);
      if (release?.status === 'succeeded') return release;
    }
    return undefined;
  }

  /** Newest first. */
  async list(): Promise<Release[]> {
    const releases = await Promise.all((await this.versions()).map((version) => this.get(version)));
    return releases.filter((release): release is Release => release !== undefined);
  }

  async get(version: number): Promise<Release | undefined> {
    const raw = await readJsonFile(this.file(version));
    if (raw === undefined) return undefined;
    const parsed = releaseSchema.safeParse(raw);
    if (!parsed.success) throw damagedFile(this.file(version), parsed.error);
    const base = parsed.data;
    const status = statusFileSchema.safeParse(await readJsonFile(this.file(version, '.status')));
    const mark = noRollbackFileSchema.safeParse(await readJsonFile(this.file(version, '.no-rollback')));
    const release: Release = { ...base };
    if (status.success) {
      release.status = status.data.status;
      if (status.data.failure === undefined) delete release.failure;
      else release.failure = status.data.failure;
    }
    if (mark.success) release.noRollback = mark.data;
    return release;
  }

  /**
   * The next free version. Each candidate is claimed with link(2), which fails with EEXIST when the
   * name is taken: exclusive like `open(…, 'wx')`, and the file appears with its full content, so no
   * reader or second writer ever sees a half-written release. On EEXIST the next number is tried.
   */
  async create(spec: ReleaseSpec): Promise<Release> {
    await mkdir(this.dir, { recursive: true });
    let version = ((await this.versions())[0] ?? 0) + 1;
    for (let attempt = 0; attempt < 1_000; attempt++, version++) {
      const release = releaseSchema.parse({
        version,
        kind: spec.kind,
        artifact: spec.artifact,
        sha: spec.sha,
        config: spec.config,
        actor: spec.actor,
        description: spec.description,
        createdAt: new Date().toISOString(),
        source: spec.source,
        noRollback: spec.noRollback,
        status: 'pending',
      });
      const temp = join(this.dir, `.v${version}${tempSuffix()}`);
      await writeFile(temp, `${JSON.stringify(release, null, 2)}\n`, { mode: 0o600 });
      try {
        await link(temp, this.file(version));
        return release;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      } finally {
        await rm(temp, { force: true });
      }
    }
    throw new AppError('CONFLICT', 'Could not allocate a release number: too many concurrent writers. Try again.');
  }

  async setStatus(version: number, status: ReleaseStatus, failure?: string): Promise<Release> {
    await this.require(version);
    const record: z.infer<typeof statusFileSchema> = { status, at: new Date().toISOString() };
    if (failure !== undefined) record.failure = failure;
    await writeJsonAtomic(this.file(version, '.status'), record, 0o600);
    return this.require(version);
  }

  async markNoRollback(version: number, mark: { reason: string; actor: Actor; at: string }): Promise<Release> {
    await this.require(version);
    await writeJsonAtomic(this.file(version, '.no-rollback'), noRollbackFileSchema.parse(mark), 0o600);
    return this.require(version);
  }

  private async require(version: number): Promise<Release> {
    const release = await this.get(version);
    if (!release) throw new AppError('NOT_FOUND', `Release v${version} does not exist in this environment.`);
    return release;
  }
}
