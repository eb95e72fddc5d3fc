// HTTP health checks against one instance.
import { request } from 'node:http';
import type { HealthCheck } from '../../../shared/model.js';
import { delay } from './processes.js';

export type Probe = { ok: true } | { ok: false; error: string };

export function probe(port: number, path: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(
        status >= 200 && status < 400 ? { ok: true } : { ok: false, error: `GET ${path} answered HTTP ${status}` },
      );
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    req.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: error.code === 'ECONNREFUSED' ? `nothing listens on port ${port}` : error.message }),
    );
    req.end();
  });
}

/**
 * Polls until the instance answers, it exits, or `retries` consecutive checks fail. Returns the last
 * error when it does not become healthy.
 */
export async function waitUntilHealthy(
  port: number,
  check: HealthCheck,
  exited: () => number | null | undefined,
  signal: AbortSignal,
): Promise<Probe> {
  let last: Probe = { ok: false, error: 'no health check ran' };
  for (let attempt = 0; attempt < check.retries; attempt++) {
    if (signal.aborted) return { ok: false, error: 'the rollout was cancelled' };
    const code = exited();
    if (code !== undefined)
      return { ok: false, error: `the process exited with code ${code ?? 'unknown'} before it was healthy` };
    last = await probe(port, check.path, check.timeoutMs);
    if (last.ok) return last;
    if (attempt + 1 < check.retries) await delay(check.intervalMs);
  }
  return last;
}
