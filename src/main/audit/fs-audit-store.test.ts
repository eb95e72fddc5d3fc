import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model.js';
import { deadPid } from '../util/testing/dead-pid.js';
import { createFsAuditStore } from './fs-audit-store.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'slipway-audit-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

let n = 0;
const event = (pipeline: string, environment: string | undefined, at: string): AuditEvent => ({
  id: `e${++n}`,
  at,
  actor: { user: 'ada', email: 'ada@example.com' },
  action: 'deploy',
  pipeline,
  ...(environment ? { environment } : {}),
  result: 'succeeded',
  summary: `deploy ${n}`,
});

describe('filesystem audit store', () => {
  it('lists newest first, page by page, across every event', async () => {
    const store = createFsAuditStore(folder);
    for (let i = 0; i < 7; i++)
      await store.append(event('demo', 'staging', new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()));
    const first = await store.list({ limit: 3 });
    expect(first.events.map((e) => e.at.slice(11, 16))).toEqual(['00:06', '00:05', '00:04']);
    const second = await store.list({ limit: 3, cursor: first.cursor });
    const third = await store.list({ limit: 3, cursor: second.cursor });
    expect(second.events.map((e) => e.at.slice(11, 16))).toEqual(['00:03', '00:02', '00:01']);
    expect(third.events.map((e) => e.at.slice(11, 16))).toEqual(['00:00']);
    expect(third.cursor).toBeUndefined();
  });

  it('keeps events written in the same millisecond in the order they were written', async () => {
    const store = createFsAuditStore(folder);
    const at = '2026-02-01T10:00:00.000Z';
    for (const summary of ['first', 'second', 'third'])
      await store.append({ ...event('demo', 'staging', at), summary });
    const page = await store.list({ limit: 10 });
    expect(page.events.map((e) => e.summary)).toEqual(['third', 'second', 'first']);
  });

  it('filters by pipeline and environment', async () => {
    const store = createFsAuditStore(folder);
    await store.append(event('demo', 'staging', '2026-01-01T00:00:00Z'));
    await store.append(event('demo', 'production', '2026-01-01T00:01:00Z'));
    await store.append(event('shop', 'staging', '2026-01-01T00:02:00Z'));
    await store.append(event('demo', undefined, '2026-01-01T00:03:00Z'));
    expect((await store.list({ limit: 10, pipeline: 'demo' })).events).toHaveLength(3);
    const production = await store.list({ limit: 10, pipeline: 'demo', environment: 'production' });
    expect(production.events.map((e) => e.environment)).toEqual(['production']);
  });

  it('tells watchers about events another writer appends to the same folder', async () => {
    const reader = createFsAuditStore(folder);
    const writer = createFsAuditStore(folder);
    const seen: string[] = [];
    const watching = reader.watch((e) => seen.push(e.summary));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writer.append({ ...event('demo', 'staging', new Date().toISOString()), summary: 'from the CLI' });
    await expect.poll(() => seen).toEqual(['from the CLI']);
    await watching.dispose();
  });

  it('keeps appending and listing when the folder cannot be watched', async () => {
    const activity = join(folder, 'activity');
    const store = createFsAuditStore(activity);
    await store.list({ limit: 1 });
    // Gone (or out of inotify watches, ENOSPC): fs.watch throws at once.
    await rm(activity, { recursive: true });
    const watching = store.watch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await watching.dispose();
    await mkdir(activity);
    await store.append(event('demo', 'staging', new Date().toISOString()));
    expect((await store.list({ limit: 5 })).events).toHaveLength(1);
  });
});

describe('filesystem audit store after a writer was killed mid-write', () => {
  it('removes the half-written event when a store opens, and lists only whole ones', async () => {
    const first = createFsAuditStore(folder);
    await first.append(event('demo', 'staging', '2026-01-01T00:00:00.000Z'));
    const half = join(folder, '.writing', `9999_demo_staging_x.json.${deadPid()}.0123456789ab.tmp`);
    await writeFile(half, '{"id":"e');
    const next = createFsAuditStore(folder);
    expect((await next.list({ limit: 10 })).events).toHaveLength(1);
    expect(await readdir(join(folder, '.writing'))).toEqual([]);
  });
});
