// A secret planted through the UI's transport (a WebSocket call, as the window makes it) and through the
// built CLI must never come back out: not in a WebSocket frame or HTTP body the server sends, a log file,
// an activity event, the argv of a process Slipway started, or what the window's menu copies to the
// clipboard or shows. Prints a SECRET SUMMARY line.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CALL_PATH, WS_PATH } from '../../shared/contract/bridge.js';
import { menuActions } from '../app/menu-actions.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';
import { startLoopbackServer, type LoopbackServer } from '../transports/loopback-server.js';

const UI_SECRET = `ui-secret-${randomBytes(12).toString('hex')}`;
const CLI_SECRET = `cli-secret-${randomBytes(12).toString('hex')}`;
const secrets = [UI_SECRET, CLI_SECRET];
const counts = {
  frames: 0,
  httpBodies: 0,
  logFiles: 0,
  activityEvents: 0,
  processes: 0,
  clipboardWrites: 0,
  leaks: [] as string[],
};

let home: string;
let services: Services;
let server: LoopbackServer;
const logLines: string[] = [];

const leaks = (where: string, text: string): void => {
  for (const secret of secrets) if (text.includes(secret)) counts.leaks.push(`${where} holds ${secret.slice(0, 10)}…`);
};

async function filesUnder(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) if (entry.isFile() && keep(entry.name)) out.push(join(entry.parentPath, entry.name));
  return out;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-secrets-'));
  services = await createServices({ home, log: (message, error) => logLines.push(`${message} ${String(error)}`) });
  server = await startLoopbackServer({ router: services.router, rendererDir: home });
  const deployed = await services.router.call(
    'deploy',
    { pipeline: 'demo', environment: 'staging', ref: 'HEAD' },
    { transport: 'cli' },
  );
  if (!deployed.ok) throw new Error(deployed.error.message);
}, 120_000);
afterAll(async () => {
  await server?.dispose();
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('secret scan', () => {
  it('a secret set through the UI and the CLI never comes back out', async () => {
    // The UI: one socket, watching deployments and activity, then setting the secret.
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${WS_PATH}?token=${server.token}`, {
      headers: { Origin: server.origin },
    });
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ t: 'sub', id: 1, name: 'deployments.watch', input: { pipeline: 'demo' } }));
    ws.send(JSON.stringify({ t: 'sub', id: 2, name: 'activity.watch', input: {} }));
    ws.send(
      JSON.stringify({
        t: 'call',
        id: 3,
        name: 'config.set',
        input: {
          pipeline: 'demo',
          environment: 'staging',
          vars: [{ key: 'UI_TOKEN', value: UI_SECRET, secret: true }],
        },
      }),
    );
    await expect
      .poll(() => frames.some((f) => f.includes('"id":3') && f.includes('"result"')), { timeout: 60_000 })
      .toBe(true);

    // The CLI (built), in another process on the same home.
    const cli = spawnSync(
      process.execPath,
      [
        join(process.cwd(), 'bin', 'slipway.js'),
        'config:set',
        'demo',
        '--env',
        'staging',
        '--secret',
        `CLI_TOKEN=${CLI_SECRET}`,
      ],
      { env: { ...process.env, SLIPWAY_HOME: home }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.status).toBe(0);
    leaks('CLI stdout/stderr', cli.stdout + cli.stderr);

    // Everything a client can read back, over the socket and over HTTP.
    const reads = [
      ['config.get', { pipeline: 'demo', environment: 'staging' }],
      ['releases.list', { pipeline: 'demo', environment: 'staging' }],
      ['pipelines.status', { pipeline: 'demo' }],
      ['activity.list', {}],
      ['deployments.list', { pipeline: 'demo' }],
      ['promote.preview', { pipeline: 'demo', from: 'staging', to: 'production' }],
    ] as const;
    let id = 10;
    for (const [name, input] of reads) ws.send(JSON.stringify({ t: 'call', id: id++, name, input }));
    await expect
      .poll(() => frames.filter((f) => f.includes('"result"')).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1 + reads.length);
    for (const [name, input] of reads) {
      const response = await fetch(`${server.origin}${CALL_PATH}/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = await response.text();
      counts.httpBodies++;
      leaks(`HTTP ${name}`, body);
    }
    ws.close();
    counts.frames = frames.length;
    for (const frame of frames) leaks('a WebSocket frame', frame);

    // Logs (main log, proxy and instance logs, deployments journal) and the activity feed.
    for (const file of await filesUnder(home, (name) => name.endsWith('.log') || name.endsWith('.json'))) {
      if (file.includes(`${join('staging', 'releases')}`) || file.includes(join('production', 'releases'))) continue; // the release store holds config by design
      if (file.includes(join(home, 'activity'))) counts.activityEvents++;
      else if (file.endsWith('.log')) counts.logFiles++;
      leaks(file.slice(home.length), await readFile(file, 'utf8'));
    }
    leaks('main log', logLines.join('\n'));

    // The argv of every process running now (the app instances and the proxy Slipway started).
    const ps = spawnSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).stdout.split('\n');
    counts.processes = ps.length;
    for (const line of ps) leaks('a process argv', line);

    // The window's copy and show actions (the app menu's, run without Electron): the clipboard and the
    // dialogs get neither a planted secret nor the loopback token.
    const clipboardWrites: string[] = [];
    const shown: string[] = [];
    const actions = menuActions({
      dev: false,
      home,
      version: '0.0.0',
      loopback: server,
      clipboard: { writeText: (text) => clipboardWrites.push(text) },
      openExternal: (url) => shown.push(url),
      openPath: (path) => shown.push(path),
      showInfo: (info) => shown.push(`${info.title} ${info.message} ${info.detail}`),
    });
    actions.copyApiAddress();
    actions.openInBrowser();
    actions.showWorkspace();
    actions.showAbout();
    counts.clipboardWrites = clipboardWrites.length;
    for (const text of [...clipboardWrites, ...shown]) {
      leaks('the clipboard or a dialog', text);
      if (text.includes(server.token)) counts.leaks.push('the clipboard or a dialog holds the loopback token');
    }
    expect(clipboardWrites).toEqual([server.origin]);

    console.log(
      `SECRET SUMMARY planted=${secrets.length} ws_frames=${counts.frames} http_bodies=${counts.httpBodies} log_files=${counts.logFiles} activity_events=${counts.activityEvents} processes=${counts.processes} clipboard_writes=${counts.clipboardWrites} leaks=${counts.leaks.length}`,
    );
    expect(counts.leaks).toEqual([]);
    expect(counts.activityEvents).toBeGreaterThan(0);
  }, 240_000);
});
