// The first-run pipeline: a real git history of the demo app and two local environments.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../shared/model.js';
import { createDemoPipeline, findDemoApp } from './demo.js';

const run = promisify(execFile);
let home: string;
let pipeline: Pipeline;
const git = async (...args: string[]) => (await run('git', ['-C', join(home, 'repos', 'demo'), ...args])).stdout;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-demo-'));
  pipeline = await createDemoPipeline(home);
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the demo pipeline', () => {
  it('has staging then production on the local provider, each on its own port', () => {
    expect(pipeline.name).toBe('demo');
    expect(pipeline.repo).toBe(join(home, 'repos', 'demo'));
    expect(pipeline.environments.map((e) => e.name)).toEqual(['staging', 'production']);
    const targets = pipeline.environments.map((e) => e.target);
    for (const target of targets)
      expect(target).toMatchObject({
        provider: 'local',
        instances: 2,
        healthCheck: { path: '/healthz', intervalMs: 200 },
      });
    const ports = targets.map((t) => (t.provider === 'local' ? t.port : 0));
    expect(new Set(ports).size).toBe(2);
  });

  it('tells a short story in git, by the demo author', async () => {
    const log = (await git('log', '--reverse', '--format=%an <%ae>|%s')).trim().split('\n');
    expect(log).toEqual([
      'Slipway Demo <demo@slipway.local>|Initial demo app (v1.0.0)',
      'Slipway Demo <demo@slipway.local>|Show a greeting from the GREETING config var',
      'Slipway Demo <demo@slipway.local>|Change the accent colour to teal',
      'Slipway Demo <demo@slipway.local>|Bump version to 1.1.0',
    ]);
    expect(await git('show', 'HEAD~3:package.json')).toContain('"version": "1.0.0"');
    expect(await git('show', 'HEAD~3:page.js')).not.toContain('GREETING');
    expect(await git('diff', '--stat', 'HEAD~1', 'HEAD')).toContain('package.json');
  });

  it('ends with exactly the files of examples/demo-app, and a clean work tree', async () => {
    const source = findDemoApp();
    const tracked = (await git('ls-files')).trim().split('\n').sort();
    const shipped = (await readdir(source))
      .filter((name) => name !== 'build-info.json' && name !== 'node_modules')
      .sort();
    expect(tracked).toEqual(shipped);
    for (const file of shipped)
      expect(await git('show', `HEAD:${file}`)).toBe(await readFile(join(source, file), 'utf8'));
    expect(await git('status', '--porcelain')).toBe('');
  });

  it('reuses the repository when the workspace already has it', async () => {
    const head = await git('rev-parse', 'HEAD');
    const again = await createDemoPipeline(home);
    expect(again.repo).toBe(pipeline.repo);
    expect(await git('rev-parse', 'HEAD')).toBe(head);
  });
});
