// Prints the Logs view figures on the local provider, measured in Chromium against the built server:
// - a request to the demo app → its line on screen (p95 of 40);
// - lines per second the window takes in from a busy log file, the longest task meanwhile
//   (PerformanceObserver 'longtask'), and the JS heap once 100k lines fill the ring buffer against
//   after 1M lines have streamed through it (after a forced GC each time).
// The busy file is written next to the instances' logs, so the lines take the real path: file → tail
// → bounded stream → WebSocket → ring buffer → virtualized list.
import { appendFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startServer } from '../e2e/support/server.js';

const row = (name: string, value: string, target: string, pass: boolean): void =>
  console.log(`${pass ? 'ok  ' : 'MISS'} ${name.padEnd(52)} ${value.padStart(12)}   target ${target}`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
});
try {
  const deployed = await server.cli('deploy', 'demo', '--env', 'staging', '--ref', 'main', '--json');
  if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
  const status = JSON.parse((await server.cli('status', 'demo', '--json')).stdout) as {
    environments: { environment: string; url: string }[];
  };
  const url = status.environments.find((env) => env.environment === 'staging')?.url ?? '';

  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  // Runs in the page: long tasks, and when each bench request's line first shows.
  await page.addInitScript({
    content: `
      window.seen = {};
      // What the server left out for this page ("N lines skipped"), read off its socket.
      window.skipped = 0;
      window.markers = 0;
      const NativeSocket = window.WebSocket;
      window.WebSocket = class extends NativeSocket {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (event) => {
            const skip = /"type":"skipped","count":(\\d+)/.exec(typeof event.data === 'string' ? event.data : '');
            if (skip) {
              window.skipped += Number(skip[1]);
              window.markers += 1;
            }
          });
        }
      };
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });
      window.watchRows = new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-testid="log-row"]')) {
          const match = /GET (\\/bench-\\d+)/.exec(row.textContent ?? '');
          if (match && window.seen[match[1]] === undefined) window.seen[match[1]] = Date.now();
        }
      });
      window.watchRows.observe(document, { childList: true, subtree: true });
    `,
  });
  await page.goto(server.routeUrl('#/pipelines/demo/logs/staging'));
  await page.getByText('Waiting for new lines').waitFor();
  await sleep(500);

  // 1. A request → its line on screen.
  const latencies: number[] = [];
  for (let i = 0; i < 40; i++) {
    const path = `/bench-${i}`;
    const start = Date.now();
    await fetch(`${url}${path}`);
    await page.waitForFunction(
      (p) => (globalThis as unknown as { seen: Record<string, number> }).seen[p] !== undefined,
      path,
    );
    latencies.push(
      ((await page.evaluate((p) => (globalThis as unknown as { seen: Record<string, number> }).seen[p], path)) ?? NaN) -
        start,
    );
    await sleep(100);
  }
  const p95 = percentile(latencies, 95);
  row('local: app line → on screen (p95 of 40)', `${p95.toFixed(0)} ms`, '≤ 200 ms', p95 <= 200);

  // 2 and 3. A busy log file: 1M lines at up to 60k lines/s.
  const cdp = await page.context().newCDPSession(page);
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  // The row watcher of step 1 and Playwright's locator engine would be the bench's own load on the page:
  // stop one, and read the count with a plain query.
  await page.evaluate(() => (globalThis as unknown as { watchRows: { disconnect(): void } }).watchRows.disconnect());
  const received = async (): Promise<number> => {
    const text = await page.evaluate(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document.querySelector('.logs-count')?.textContent ?? '',
    );
    const [held = '0', dropped = '0'] = [/^([\d,]+) lines/.exec(text)?.[1], /oldest ([\d,]+)/.exec(text)?.[1]];
    return Number(held.replace(/,/g, '')) + Number(dropped.replace(/,/g, ''));
  };
  const file = join(server.home, 'local', 'pipelines', 'demo', 'staging', 'logs', 'v1.bench.1.0000.log');
  const base = await received();
  await page.evaluate(() => ((globalThis as unknown as { longTasks: number[] }).longTasks.length = 0));
  const total = 1_000_000;
  const perTick = 3_000; // every 50 ms: 60k lines/s
  let written = 0;
  let heapFull: number | undefined;
  let gcWindow: [number, number] = [0, 0];
  const started = Date.now();
  const pageStarted = await page.evaluate(() => performance.now());
  const loadBefore = loadavg()[0] ?? 0;
  while (written < total) {
    const at = new Date().toISOString();
    let chunk = '';
    const count = Math.min(perTick, total - written);
    for (let i = 0; i < count; i++)
      chunk += `${at} stdout line ${written + i} \u001b[32mok\u001b[0m some text to make it a typical length\n`;
    appendFileSync(file, chunk);
    written += count;
    if (heapFull === undefined && (await received()) - base >= 100_000) {
      // The forced GC is the bench's own long task: leave it out.
      const from = await page.evaluate(() => performance.now());
      heapFull = await heap();
      gcWindow = [from, await page.evaluate(() => performance.now())];
    }
    await sleep(Math.max(0, started + (written / perTick) * 50 - Date.now()));
  }
  // Lines still on their way arrive within a few seconds; past that, the rest were skipped.
  let got = (await received()) - base;
  let lastArrival = Date.now();
  while (got < total && Date.now() - lastArrival < 3_000) {
    await sleep(100);
    const now = (await received()) - base;
    if (now !== got) [got, lastArrival] = [now, Date.now()];
  }
  const elapsed = (lastArrival - started) / 1000;
  const tasks = await page.evaluate(() => (globalThis as unknown as { longTasks: [number, number][] }).longTasks);
  const longest = Math.max(
    0,
    ...tasks.filter(([at, length]) => at + length < gcWindow[0] || at > gcWindow[1]).map(([, length]) => length),
  );
  const loadAfter = loadavg()[0] ?? 0;
  const heapEnd = await heap();
  // The view counts a "lines skipped" marker as a row: those are not lines.
  const { skipped, markers } = await page.evaluate(() => {
    const counts = globalThis as unknown as { skipped: number; markers: number };
    return { skipped: counts.skipped, markers: counts.markers };
  });
  const lines = got - markers;
  const rate = lines / elapsed;
  row('renderer: lines taken in per second', `${Math.round(rate).toLocaleString('en-US')}`, '≥ 50,000', rate >= 50_000);
  console.log(
    `     (${lines.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} lines in ${elapsed.toFixed(1)} s; ${skipped.toLocaleString('en-US')} skipped by the bounded stream as the page fell behind)`,
  );
  row('renderer: longest task while ingesting', `${longest.toFixed(0)} ms`, '≤ 50 ms', longest <= 50);
  const over = tasks.filter(([at, length]) => length > 50 && (at + length < gcWindow[0] || at > gcWindow[1]));
  if (over.length > 0)
    console.log(
      `     (over 50 ms: ${over.map(([at, length]) => `${length.toFixed(0)} ms at ${((at - pageStarted) / 1000).toFixed(1)} s`).join(', ')})`,
    );
  const change = heapFull ? (heapEnd / heapFull - 1) * 100 : NaN;
  row(
    'renderer: heap after 1M lines vs ring buffer full',
    `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`,
    'within ±10 %',
    Math.abs(change) <= 10,
  );
  console.log(`     (${((heapFull ?? 0) / 1024 / 1024).toFixed(1)} MB → ${(heapEnd / 1024 / 1024).toFixed(1)} MB)`);
  // Chromium shares the machine with everything else running: say how busy it was.
  console.log(
    `     (load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${availableParallelism()} cores while streaming)`,
  );
} finally {
  await browser.close();
  await server.stop();
}
