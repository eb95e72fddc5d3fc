// Prints how long the Metrics view takes to draw 20 instances over 24 h, in Chromium against the built
// server and window: from the `metrics.get` answer reaching the page to both charts painted with a line
// per instance. The local provider samples only while Slipway runs, so the 24 h answer is a seeded one
// (20 instances × 288 points of CPU and memory, as the core asks for 24 h), put on the page's own
// WebSocket in place of the server's; everything else on the socket is the real server's.
import { chromium } from '@playwright/test';
import type { MetricsResult } from '../src/shared/contract/index.js';
import { startServer } from '../e2e/support/server.js';

const row = (name: string, value: string, target: string, pass: boolean): void =>
  console.log(`${pass ? 'ok  ' : 'MISS'} ${name.padEnd(52)} ${value.padStart(12)}   target ${target}`);
const INSTANCES = 20;
const RUNS = 5;

function seeded(): MetricsResult {
  const until = Date.now();
  const since = until - 24 * 3_600_000;
  const periodSeconds = 300;
  const times = Array.from({ length: (24 * 3_600) / periodSeconds }, (_, i) =>
    new Date(since + (i + 1) * periodSeconds * 1000).toISOString(),
  );
  const series: MetricsResult['series'] = [];
  for (let n = 0; n < INSTANCES; n++) {
    const instance = `v${n < 10 ? 7 : 8}.web.${n + 1}.${(0x1000 + n).toString(16)}`;
    const wave = (i: number): number => Math.sin((i + n * 7) / 12);
    series.push(
      { metric: 'cpu', unit: 'percent', instance, stat: 'average', points: [] },
      { metric: 'memory', unit: 'bytes', instance, stat: 'average', points: [] },
    );
    times.forEach((time, i) => {
      series.at(-2)?.points.push({ time, value: 30 + 20 * wave(i) + (i > 200 ? 15 : 0) });
      series.at(-1)?.points.push({ time, value: (180 + 40 * wave(i) + (i > 200 ? 60 : 0)) * 1024 * 1024 });
    });
  }
  return {
    range: '24h',
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    periodSeconds,
    series,
    releases: [
      { version: 7, kind: 'deploy', time: times[40] ?? '', description: 'Deploy abc1234' },
      { version: 8, kind: 'deploy', time: times[200] ?? '', description: 'Deploy def5678' },
    ],
    notes: [],
  };
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const deployed = await server.cli('deploy', 'demo', '--env', 'staging', '--ref', 'main', '--json');
  if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.routeWebSocket(/\/ws/, (ws) => {
    const real = ws.connectToServer();
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { t: string; id: number; name?: string; input?: { range?: string } };
      if (call.t === 'call' && call.name === 'metrics.get' && call.input?.range === '24h') {
        ws.send(JSON.stringify({ t: 'result', id: call.id, result: { ok: true, value: seeded() } }));
      } else real.send(message);
    });
  });
  // In the page: when the 24 h answer arrives, and when both charts are painted with every instance.
  await page.addInitScript({
    content: `
      window.marks = {};
      const NativeSocket = window.WebSocket;
      window.WebSocket = class extends NativeSocket {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (event) => {
            if (window.marks.arrived === undefined && String(event.data).includes('"range":"24h"'))
              window.marks.arrived = performance.now();
          });
        }
      };
      const drawn = () =>
        ['cpu-chart', 'memory-chart'].every(
          (id) => document.querySelectorAll('[data-testid="' + id + '"] path.metrics-line[d^="M"]').length >= ${INSTANCES},
        );
      new MutationObserver(() => {
        if (window.marks.arrived === undefined || window.marks.drawn !== undefined || !drawn()) return;
        window.marks.drawn = performance.now();
        // Painted: the frame that shows the new DOM has run once a task after its animation frame runs.
        requestAnimationFrame(() => setTimeout(() => (window.marks.painted = performance.now())));
      }).observe(document, { childList: true, subtree: true, attributes: true });
    `,
  });
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh page each run (a new address, not only a new #route).
    await page.goto('about:blank');
    await page.goto(server.routeUrl('#/pipelines/demo/metrics/staging'));
    await page.getByTestId('metrics-page').waitFor();
    await page.getByRole('button', { name: '24h' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { marks: { painted?: number } }).marks.painted !== undefined,
      undefined,
      { timeout: 30_000 },
    );
    const marks = await page.evaluate(
      () => (globalThis as unknown as { marks: { arrived: number; painted: number } }).marks,
    );
    samples.push(marks.painted - marks.arrived);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const worst = sorted.at(-1) ?? NaN;
  row(
    `Metrics view: ${INSTANCES} instances × 24 h, answer → painted`,
    `${median.toFixed(0)} ms`,
    '≤ 300 ms',
    median <= 300,
  );
  console.log(
    `     (median of ${RUNS}, worst ${worst.toFixed(0)} ms; ${INSTANCES * 2} lines of 288 points in 2 charts, seeded answer)`,
  );
} finally {
  await browser.close();
  await server.stop();
}
