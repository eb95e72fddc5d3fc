// Stopping a deploy from the command line: Ctrl-C in the terminal that runs it aborts it through the
// router (the serving release keeps serving), and `deploy:abort` says plainly when there is nothing
// it can abort. The Ctrl-C case runs the real `slipway` in a child process and signals only it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineStatusSchema, releaseListItemSchema } from '../../shared/contract/index.js';
import { deploymentSchema } from '../../shared/model.js';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { recordingIo } from './test-io.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
let home: string;

async function run(argv: string[]) {
  const io = recordingIo({ env: { SLIPWAY_HOME: home } });
  const code = await main(argv, io);
  return { code, io };
}

async function json(argv: string[]): Promise<unknown> {
  const { code, io } = await run([...argv, '--json']);
  if (code !== 0) throw new Error(`slipway ${argv.join(' ')} exited ${code}: ${io.err()}`);
  return JSON.parse(io.out());
}

async function servedRelease(url: string): Promise<unknown> {
  const response = await fetch(`${url}/healthz`);
  return ((await response.json()) as { release?: unknown }).release;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-abort-'));
  const { code, io } = await run(['deploy', 'demo', '--env', 'staging', '--ref', 'main']);
  if (code !== 0) throw new Error(`the first deploy failed: ${io.err()}`);
});
afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('aborting a deploy from the command line', () => {
  it('deploy:abort exits 1 with CONFLICT when this process runs no deploy there', async () => {
    const { code, io } = await run(['deploy:abort', 'demo', '--env', 'staging', '--json']);
    expect(code).toBe(1);
    const envelope = JSON.parse(io.out()) as { ok: boolean; error: { code: string; message: string } };
    expect(envelope).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(envelope.error.message).toContain('Nothing is deploying to staging');
    expect(io.err()).toContain(`error CONFLICT: ${envelope.error.message}`);
  });

  it('deploy:abort says in its help that it only reaches deploys of its own process', async () => {
    const { code, io } = await run(['deploy:abort', '--help']);
    expect(code).toBe(0);
    expect(io.out()).toContain('Usage: slipway deploy:abort PIPELINE --env ENV');
    expect(io.out()).toContain('from another terminal this finds nothing to abort');
    expect(io.out()).toContain('Ctrl-C');
  });

  it('Ctrl-C during a rollout aborts it, exits 1 with the failed deployment, and the old release keeps serving', async () => {
    const before = pipelineStatusSchema.parse(await json(['status', 'demo'])).environments[0]!;
    expect(before.current?.version).toBe(1);

    // The demo app fails its health check with this set, so the rollout sits in "Health check" for a while.
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'slipway.js'), 'config:set', 'demo', '--env', 'staging', 'FAIL_HEALTHCHECK=1', '--json'],
      { cwd: repoRoot, env: { ...process.env, SLIPWAY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    const inHealthCheck = new Promise<void>((ready) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('→ Health check')) ready();
      });
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await Promise.race([inHealthCheck, exited.then(() => Promise.reject(new Error(`exited early: ${stderr}`)))]);
      child.kill('SIGINT');
      const code = await exited;

      expect(code, stderr).toBe(1);
      const deployment = deploymentSchema.parse(JSON.parse(stdout));
      expect(deployment).toMatchObject({
        status: 'failed',
        kind: 'config',
        releaseVersion: 2,
        error: { code: 'DEPLOY_FAILED' },
      });
      expect(deployment.error?.message).toMatch(/^Aborted by .+; v2 was not rolled out and v1 keeps serving\.$/);
      expect(stderr).toContain('Aborting the deploy to demo/staging');
      expect(stderr).toContain(`error DEPLOY_FAILED: ${deployment.error?.message}`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    const after = pipelineStatusSchema.parse(await json(['status', 'demo'])).environments[0]!;
    expect(after.current?.version).toBe(1);
    expect(await servedRelease(before.url!)).toBe('1');
    const [newest] = releaseListItemSchema.array().parse(await json(['releases', 'demo', '--env', 'staging']));
    expect(newest).toMatchObject({ version: 2, status: 'failed', current: false });
  });
});
