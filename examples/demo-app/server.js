// A dependency-free web server: `/` shows what is running, `/healthz` answers health checks.
// On SIGTERM it stops accepting connections and finishes the requests in flight, so a rollout
// never cuts a request short. Every request but health checks is logged, so lines appear in
// Slipway's Logs view as you click around.
import { createServer } from 'node:http';
import { facts, renderPage } from './page.js';

const port = Number(process.env.PORT ?? 5000);
// Set FAIL_HEALTHCHECK=1 in config to see a rollout fail: the new instances never become healthy
// and the running release keeps serving.
const unhealthy = process.env.FAIL_HEALTHCHECK === '1';
// Set MEMORY_HOG_MB=200 to hold that much memory: watch it in the Metrics view, or trip an alarm.
// Kept on globalThis: a module-level array nothing reads again could be collected.
globalThis.heldMemory = [];
for (let mb = 0; mb < Number(process.env.MEMORY_HOG_MB ?? 0); mb++)
  globalThis.heldMemory.push(Buffer.alloc(1024 * 1024, 1));

const colour = (status) => (status >= 500 ? 31 : status >= 400 ? 33 : 32);
function logRequest(req, res, started) {
  const ms = (performance.now() - started).toFixed(1);
  console.log(`${req.method} ${req.url} \x1b[${colour(res.statusCode)}m${res.statusCode}\x1b[0m ${ms} ms`);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/healthz') {
    const started = performance.now();
    res.once('finish', () => logRequest(req, res, started));
  }
  if (path === '/healthz') {
    const body = JSON.stringify({ ok: !unhealthy, ...facts() });
    res.writeHead(unhealthy ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(renderPage());
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found\n');
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Listening on 127.0.0.1:${port}`);
});

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing requests in flight`);
  server.close(() => {
    console.log('Stopped');
    process.exit(0);
  });
  // Idle keep-alive connections would otherwise hold close() open.
  server.closeIdleConnections();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
