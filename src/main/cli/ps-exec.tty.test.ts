// `slipway ps:exec` driven like a person in a real terminal: the BUILT bin/slipway runs in a tmux
// pane; keys are sent with send-keys and the screen is read with capture-pane.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { recordingIo } from './test-io.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const socket = `slipway-test-${process.pid}`;
let home: string;

const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = (pane: string): string => tmux('capture-pane', '-p', '-J', '-t', pane);

async function until(pane: string, pattern: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(pane);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A pane running `slipway ARGS…`, then printing its exit code and staying open to be read. */
function startPane(name: string, args: string[]): string {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const line = `${process.execPath} ${join(repoRoot, 'bin', 'slipway.js')} ${quoted}; echo "EXIT=$?"; sleep 600`;
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '120',
    '-y',
    '30',
    '-e',
    `SLIPWAY_HOME=${home}`,
    '-e',
    'SHELL=/bin/sh',
    line,
  );
  return name;
}

beforeAll(async () => {
  try {
    execFileSync('tmux', ['-V']);
  } catch {
    throw new Error('These tests drive a real terminal with tmux: install it (apt-get install -y tmux).');
  }
  home = await mkdtemp(join(tmpdir(), 'slipway-ps-exec-'));
  for (const argv of [
    ['deploy', 'demo', '--env', 'staging', '--ref', 'main'],
    ['config:set', 'demo', '--env', 'staging', 'GREETING=Hi from tmux'],
  ]) {
    const io = recordingIo({ env: { SLIPWAY_HOME: home } });
    if ((await main(argv, io)) !== 0) throw new Error(`slipway ${argv.join(' ')}: ${io.err()}`);
  }
}, 120_000);

afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // No server left.
  }
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('slipway ps:exec in a real terminal', () => {
  it('attaches the terminal: config, resize, Ctrl-C to the remote side, and the exit code', async () => {
    const pane = startPane('shell', ['ps:exec', 'demo', '--env', 'staging']);
    await until(pane, /Connected to v\d+\.web/, 'the connection');
    tmux('send-keys', '-t', pane, 'echo "G=[$GREETING]"', 'Enter');
    await until(pane, /G=\[Hi from tmux\]/, 'the greeting');

    tmux('send-keys', '-t', pane, 'stty size', 'Enter');
    await until(pane, /^30 120\s*$/m, 'the size of the pane');
    tmux('resize-window', '-t', pane, '-x', '100', '-y', '25');
    tmux('send-keys', '-t', pane, 'clear; stty size', 'Enter');
    await until(pane, /^25 100\s*$/m, 'the new size');

    // Ctrl-C stops the remote command, not ps:exec: the shell answers again afterwards.
    tmux('send-keys', '-t', pane, 'sleep 60; echo "woke $((3 * 3))"', 'Enter');
    await new Promise((done) => setTimeout(done, 500));
    tmux('send-keys', '-t', pane, 'C-c');
    tmux('send-keys', '-t', pane, 'echo "still $((20 + 22))"', 'Enter');
    const after = await until(pane, /still 42/, 'the shell after Ctrl-C');
    expect(after).not.toContain('woke 9');
    expect(after).not.toContain('EXIT=');

    tmux('send-keys', '-t', pane, 'exit 5', 'Enter');
    await until(pane, /EXIT=5/, 'the exit code');
  });

  it('runs the command after -- and exits with its code', async () => {
    const pane = startPane('command', [
      'ps:exec',
      'demo',
      '--env',
      'staging',
      '--',
      'sh',
      '-c',
      'echo "[$GREETING]"; exit 7',
    ]);
    const text = await until(pane, /EXIT=\d+/, 'the exit code');
    expect(text).toContain('[Hi from tmux]');
    expect(text).toContain('EXIT=7');
  });

  it('takes piped input, and its end closes the remote shell', () => {
    const out = execFileSync(
      process.execPath,
      [join(repoRoot, 'bin', 'slipway.js'), 'ps:exec', 'demo', '--env', 'staging'],
      {
        input: 'echo "piped $((2 + 3))"\n',
        env: { ...process.env, SLIPWAY_HOME: home, SHELL: '/bin/sh' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(out).toContain('piped 5');
  });

  it('says what is wrong with an unknown instance, and exits 1', async () => {
    const pane = startPane('missing', ['ps:exec', 'demo', '--env', 'staging', 'v9.web.0.none']);
    const text = await until(pane, /EXIT=\d+/, 'the exit code');
    expect(text).toMatch(/error NOT_FOUND: staging has no instance v9\.web\.0\.none/);
    expect(text).toContain('EXIT=1');
  });
});
