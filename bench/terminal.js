#!/usr/bin/env node
/* global window, document, MutationObserver -- the functions passed to page.evaluate run in the page. */
// Exec terminal figures, on the path a person uses: the built server, a local shell, the loopback
// socket; then the built renderer in Chromium. Figures, not pass/fail: nothing here asserts.
//   keystroke → echo over the loopback socket (p50, p95)
//   a key typed in a second tab while `yes` floods the first → its echo on screen (p95), heap meanwhile
//   `cat` of a 100 MB file into the window's terminal: throughput and the longest UI block (long tasks)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'slipway.js');
const home = mkdtempSync(join(tmpdir(), 'slipway-bench-term-'));
const env = { ...process.env, SLIPWAY_HOME: home, SHELL: '/bin/sh', GIT_CONFIG_GLOBAL: '/dev/null' };
const row = (name, value, target, pass) =>
  console.log(`${pass ? 'ok  ' : 'MISS'} ${name.padEnd(52)} ${value.padStart(12)}   target ${target}`);
const pct = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

const MB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_CAT_MB ?? 100) * MB;
/** A second, traced cat: tracing slows the page, so its throughput is not the figure. */
const TRACED_SIZE = Number(process.env.BENCH_TRACED_CAT_MB ?? 20) * MB;
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);

function bigFile(size, name) {
  const file = join(home, name);
  const line = `${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(2)}\n`;
  const block = Buffer.from(line.repeat(Math.floor(MB / line.length)));
  const fd = openSync(file, 'w');
  for (let written = 0; written < size; written += block.length) writeSync(fd, block);
  closeSync(fd);
  return file;
}

/** `serve --json` prints where it listens and the owner-only server.json that holds the token. */
async function startServer() {
  const child = spawn(process.execPath, [join(root, 'dist', 'main', 'server.js'), '--port', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const { serverFile } = JSON.parse(line);
    const { origin, token } = JSON.parse(readFileSync(serverFile, 'utf8'));
    return { child, url: new URL(origin), token };
  } catch (error) {
    child.kill('SIGINT');
    throw error;
  }
}

/** A client of the contract over the loopback socket, as the browser bridge is. */
async function connect(server) {
  const ws = new WebSocket(`ws://${server.url.host}/api/ws?token=${server.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const handlers = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    handlers.get(message.id)?.(message);
  });
  return {
    ws,
    call: (name, input) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        handlers.set(id, (m) => (m.result.ok ? resolve(m.result.value) : reject(new Error(m.result.error.message))));
        ws.send(JSON.stringify({ t: 'call', id, name, input }));
      }),
    open(name, input, onEvent) {
      const id = nextId++;
      handlers.set(id, (m) => m.t === 'event' && onEvent(m.event));
      ws.send(JSON.stringify({ t: 'sub', id, name, input }));
      return {
        send: (message) => ws.send(JSON.stringify({ t: 'send', id, message })),
        close: () => ws.send(JSON.stringify({ t: 'unsub', id })),
      };
    },
  };
}

async function keystrokeEcho(server) {
  const client = await connect(server);
  const { ticket } = await client.call('terminal.ticket', { pipeline: 'demo', environment: 'staging' });
  let output = '';
  let unacked = 0;
  let waiting;
  const channel = client.open('terminal.session', { ticket }, (event) => {
    if (event.type !== 'output') return;
    output += event.data;
    unacked += event.data.length;
    if (unacked >= 5000) {
      channel.send({ type: 'ack', chars: unacked });
      unacked = 0;
    }
    waiting?.();
  });
  const until = (check) =>
    new Promise((resolve) => {
      waiting = () => check() && resolve();
      waiting();
    });
  channel.send({ type: 'input', data: 'PS1="$ "; echo READY\r' });
  await until(() => output.includes('READY\r\n$ '));
  const samples = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const seen = output.length;
    const start = process.hrtime.bigint();
    channel.send({ type: 'input', data: 'x' });
    await until(() => output.slice(seen).includes('x'));
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    const erased = output.length;
    channel.send({ type: 'input', data: '\x7f' });
    await until(() => output.length > erased);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  channel.close();
  client.ws.close();
  return samples;
}

async function launchBrowser() {
  const { chromium } = await import('@playwright/test');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}

async function catIntoWindow(server, file, { trace = false } = {}) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${server.url.origin}/#/pipelines/demo&token=${server.token}`);
    await page.getByTestId('env-staging').getByRole('button', { name: 'Open shell' }).click();
    const panel = page.getByTestId('terminal-panel').first();
    await panel.locator('[data-state="open"]').waitFor({ timeout: 30_000 });
    await panel.locator('.xterm-helper-textarea').focus();
    await page.keyboard.type("PS1='$ '; clear");
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    // The figure means something only if this page reports long tasks: block it once on purpose.
    await page.evaluate(() =>
      setTimeout(() => {
        const end = performance.now() + 150;
        while (performance.now() < end) {
          // busy: one 150 ms task (work from the page, as xterm's is; an evaluate itself is not reported)
        }
      }),
    );
    await page.waitForFunction(() => window.__longTasks.some((duration) => duration >= 150), undefined, {
      timeout: 5_000,
    });
    await page.evaluate(() => (window.__longTasks = []));
    // A trace of the page's main thread tells a block of work (CPU) from a wait (descheduled, commit).
    if (trace) await browser.startTracing(page, { categories: ['toplevel'] });
    const start = Date.now();
    await page.keyboard.type(`cat ${file}; echo CAT-$((6 * 7))-DONE`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="terminal-panel"] .xterm-rows')?.textContent?.includes('CAT-42-DONE'),
      undefined,
      { timeout: 600_000, polling: 50 },
    );
    const seconds = (Date.now() - start) / 1000;
    const longTasks = await page.evaluate(() => window.__longTasks);
    return {
      seconds,
      longest: Math.max(0, ...longTasks),
      count: longTasks.length,
      ...(trace ? mainThreadCpu(await browser.stopTracing()) : {}),
    };
  } finally {
    await browser.close();
  }
}

/**
 * `yes` floods one tab while a key is typed into a second tab every 200 ms for 10 s: each key's time
 * from keydown to the row that shows it, and the page's JS heap before and after the flood.
 */
async function typeDuringFlood(server) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };
    await page.goto(`${server.url.origin}/#/pipelines/demo&token=${server.token}`);
    const staging = page.getByTestId('env-staging');
    await staging.getByRole('button', { name: 'Open shell' }).click();
    const flood = page.getByTestId('terminal-panel').nth(0);
    await flood.locator('[data-state="open"]').waitFor({ timeout: 30_000 });
    await flood.locator('.xterm-helper-textarea').focus();
    await page.keyboard.type('yes');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1_000);
    const heapBefore = await heap();
    await staging.getByRole('button', { name: 'Shell' }).first().click();
    const quiet = page.getByTestId('terminal-panel').nth(1);
    await quiet.locator('[data-state="open"]').waitFor({ timeout: 30_000 });
    await quiet.locator('.xterm-helper-textarea').focus();
    await page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid="terminal-panel"]')[1].querySelector('.xterm-rows');
      window.__echoes = [];
      let typedAt;
      document.addEventListener('keydown', () => (typedAt = performance.now()), true);
      new MutationObserver(() => {
        if (typedAt === undefined) return;
        window.__echoes.push(performance.now() - typedAt);
        typedAt = undefined;
      }).observe(rows, { subtree: true, childList: true, characterData: true });
    });
    let typed = 0;
    for (const started = Date.now(); Date.now() - started < 10_000; typed++) {
      await page.keyboard.type('k');
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(500);
    const echoes = await page.evaluate(() => window.__echoes);
    return { typed, echoes, heapBefore, heapAfter: await heap() };
  } finally {
    await browser.close();
  }
}

/** The page's main-thread tasks: the longest (wall time) and its CPU time, and the most CPU any task took. */
function mainThreadCpu(trace) {
  const events = JSON.parse(String(trace)).traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  const tasks = events.filter(
    (e) => e.pid === main?.pid && e.tid === main?.tid && e.name === 'ThreadControllerImpl::RunTask' && e.dur,
  );
  const longestWall = tasks.reduce((a, b) => (b.dur > (a?.dur ?? 0) ? b : a), undefined);
  return {
    mostCpu: Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000)),
    longestWall: (longestWall?.dur ?? 0) / 1000,
    longestWallCpu: (longestWall?.tdur ?? 0) / 1000,
  };
}

let server;
try {
  console.log('\nExec terminal (local shell, built server and renderer)');
  execFileSync(process.execPath, [cli, 'deploy', 'demo', '--env', 'staging', '--ref', 'HEAD', '--json'], {
    env,
    stdio: 'ignore',
  });
  server = await startServer();
  const samples = await keystrokeEcho(server);
  const p50 = pct(samples, 0.5);
  const p95 = pct(samples, 0.95);
  row(`keystroke → echo, loopback socket (p50, ${samples.length} keys)`, `${p50.toFixed(2)} ms`, '≤ 5 ms', p50 <= 5);
  row('keystroke → echo, loopback socket (p95)', `${p95.toFixed(2)} ms`, '≤ 15 ms', p95 <= 15);

  const flood = await typeDuringFlood(server);
  const floodP95 = pct(flood.echoes, 0.95);
  row(
    'key in a 2nd tab during a yes flood → echo (p95)',
    `${floodP95.toFixed(0)} ms`,
    '≤ 100 ms',
    floodP95 <= 100 && flood.echoes.length === flood.typed,
  );
  console.log(
    `     (${flood.echoes.length} of ${flood.typed} keys echoed; p50 ${pct(flood.echoes, 0.5).toFixed(0)} ms, max ${Math.max(...flood.echoes).toFixed(0)} ms; page heap ${(flood.heapBefore / MB).toFixed(1)} MB → ${(flood.heapAfter / MB).toFixed(1)} MB over 10 s of yes)`,
  );

  const file = bigFile(SIZE, 'big.txt');
  const megabytes = statSync(file).size / MB;
  const cat = await catIntoWindow(server, file);
  const throughput = megabytes / cat.seconds;
  console.log(`     cat ${megabytes.toFixed(0)} MB into the window's terminal: ${cat.seconds.toFixed(1)} s`);
  row('cat into the terminal: throughput', `${throughput.toFixed(1)} MB/s`, 'printed', true);
  row(
    `cat into the terminal: longest UI block (${cat.count} long tasks)`,
    `${cat.longest.toFixed(0)} ms`,
    '< 100 ms',
    cat.longest < 100,
  );
  const traced = await catIntoWindow(server, bigFile(TRACED_SIZE, 'traced.txt'), { trace: true });
  console.log(
    `     traced ${TRACED_SIZE / MB} MB cat: longest main-thread task ${traced.longestWall.toFixed(0)} ms, ${traced.longestWallCpu.toFixed(0)} ms of it CPU` +
      ` (the rest is waiting: frame commit, descheduled); most CPU in one task ${traced.mostCpu.toFixed(0)} ms`,
  );
} finally {
  if (server) {
    server.child.kill('SIGINT');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  try {
    execFileSync(process.execPath, [cli, 'local:stop', '--json'], { env, stdio: 'ignore' });
  } catch {
    // nothing was started
  }
  rmSync(home, { recursive: true, force: true });
}
