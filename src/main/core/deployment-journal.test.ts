import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../../shared/model.js';
import { deadPid } from '../util/testing/dead-pid.js';
import { DeploymentJournal } from './deployment-journal.js';
import { DeploymentTracker, type DeploymentChange } from './deployment-tracker.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'slipway-journal-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const request = {
  pipeline: 'demo',
  environment: 'production',
  kind: 'promote' as const,
  summary: 'Promote staging v3 to production',
  actor: { user: 'ada' },
};

describe('deployments across Slipway processes', () => {
  // The CLI in a terminal (its own pid) and the window (this process) share one home.
  const cliPid = process.ppid;

  it('shows the window a CLI deploy as it queues, runs and finishes, and never offers to abort it', async () => {
    const cli = new DeploymentTracker(new DeploymentJournal(folder, cliPid));
    const window = new DeploymentTracker(new DeploymentJournal(folder));
    const seen: DeploymentChange[] = [];
    const watching = window.onDidChange((change) => seen.push(change));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const queued = cli.create(request);
    await cli.flush();
    await expect.poll(async () => (await window.list({ pipeline: 'demo' })).map((d) => d.status)).toEqual(['queued']);

    cli.update(queued.id, (d) => void (d.status = 'running'));
    const reporter = cli.reporter(queued.id);
    reporter.step('Release phase');
    reporter.log('Applying migration 002');
    cli.update(queued.id, (d) => void (d.status = 'succeeded'));
    await cli.flush();

    const [listed] = await window.list({ pipeline: 'demo', environment: 'production' });
    expect(listed).toMatchObject({ id: queued.id, status: 'succeeded', abortable: false });
    expect(listed?.steps[0]?.output).toEqual(['Applying migration 002']);
    await expect.poll(() => seen.at(-1)?.deployment.status).toBe('succeeded');
    expect(seen.every((change) => !change.here && change.deployment.abortable === false)).toBe(true);
    await watching.dispose();
  });

  it('reports a deploy whose process died as failed instead of running forever', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const gone = new DeploymentTracker(new DeploymentJournal(folder, Number(dead.stdout)));
    const started = gone.create(request);
    gone.update(started.id, (d) => void (d.status = 'running'));
    await gone.flush();

    const window = new DeploymentTracker(new DeploymentJournal(folder));
    const [listed] = await window.list({ pipeline: 'demo' });
    expect(listed).toMatchObject<Partial<Deployment>>({
      status: 'failed',
      error: { code: 'DEPLOY_FAILED', message: expect.stringMatching(/stopped before it finished/) },
    });
  });

  it('opens without what a process killed mid-write left', async () => {
    const half = join(folder, `.d1.${deadPid()}.0123456789ab.tmp`);
    await mkdir(folder, { recursive: true });
    await writeFile(half, '{"pid":1,"deploym');
    expect(await (await DeploymentJournal.open(folder)).list()).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
  });

  it('marks only its own running deploys abortable', async () => {
    const window = new DeploymentTracker(new DeploymentJournal(folder));
    const mine = window.create(request);
    expect(window.listHere({ pipeline: 'demo' })[0]?.abortable).toBe(false);
    window.update(mine.id, (d) => void (d.status = 'running'));
    expect((await window.list({ pipeline: 'demo' }))[0]?.abortable).toBe(true);
    await window.flush();
  });

  it('keeps working when the folder cannot be watched, instead of taking the process down', async () => {
    const home = join(folder, 'deployments');
    const journal = new DeploymentJournal(home);
    await journal.list();
    // Gone (or out of inotify watches, ENOSPC): fs.watch throws at once.
    await rm(home, { recursive: true });
    const tracker = new DeploymentTracker(journal);
    const watching = tracker.onDidChange(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mine = tracker.create(request);
    expect(tracker.listHere({ pipeline: 'demo' }).map((d) => d.id)).toEqual([mine.id]);
    await watching.dispose();
  });
});

describe('a journal that cannot write', () => {
  it('logs a failed write, naming the file, and never rejects into the void', async () => {
    const { setUnexpectedErrorHandler } = await import('../util/unexpected-error.js');
    const logged: string[] = [];
    setUnexpectedErrorHandler((message) => logged.push(message));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // A folder under a regular file: mkdir fails (ENOTDIR) as it would on a read-only home, even as root.
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(folder, 'blocker'), '');
      const journal = new DeploymentJournal(join(folder, 'blocker', 'deployments'));
      const tracker = new DeploymentTracker(journal);
      const watching = tracker.onDidChange(() => undefined);
      const deployment = tracker.create(request);
      await tracker.flush();
      await new Promise((resolve) => setTimeout(resolve, 50));
      watching.dispose();
      expect(deployment.status).toBe('queued');
      expect(unhandled).toEqual([]);
      expect(logged.join('\n')).toMatch(/deployments/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      setUnexpectedErrorHandler(undefined);
    }
  });
});
