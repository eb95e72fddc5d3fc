// Steady traffic through an environment's proxy while it changes release: every request must succeed.
// Half the clients keep their connection alive (like a browser), half open a new one per request.
import { Agent, request } from 'node:http';

export interface LoadReport {
  readonly total: number;
  readonly failures: readonly string[];
  /** The commits `/healthz` reported, in the order they first appeared. */
  readonly commits: readonly string[];
}

export interface Load {
  /** Whether a response came from `commit` yet. */
  hasServed(commit: string): boolean;
  /** Stops sending and reports; in-flight requests are awaited. Safe to call again. */
  stop(): Promise<LoadReport>;
}

interface Health {
  readonly commit: string;
}

function get(url: URL, agent: Agent | false): Promise<Health> {
  return new Promise((done, fail) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('error', fail);
      res.on('end', () => {
        if (res.statusCode !== 200) return fail(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        try {
          done(JSON.parse(body) as Health);
        } catch {
          fail(new Error(`not JSON: ${body.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end();
  });
}

/** Sends `GET /healthz` to `baseUrl` from `clients` loops until stopped, `maxRequests` were sent or `maxMs` passed. */
export function startLoad(baseUrl: string, { clients = 4, maxRequests = 50_000, maxMs = 90_000 } = {}): Load {
  const url = new URL('/healthz', baseUrl);
  // Loopback only: this is a test of our own proxy, never of anything on the network.
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing to load ${url.host}: not loopback`);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: clients });
  const deadline = Date.now() + maxMs;
  const failures: string[] = [];
  const commits: string[] = [];
  let total = 0;
  let running = true;
  let stopped: Promise<LoadReport> | undefined;

  const record = (commit: string): void => {
    if (!commits.includes(commit)) commits.push(commit);
  };

  const loop = async (agent: Agent | false): Promise<void> => {
    while (running && total < maxRequests && Date.now() < deadline) {
      total++;
      try {
        record((await get(url, agent)).commit);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  const loops = Array.from({ length: clients }, (_, i) => loop(i % 2 === 0 ? keepAlive : false));

  return {
    hasServed: (commit) => commits.includes(commit),
    stop() {
      running = false;
      stopped ??= Promise.all(loops).then(() => {
        keepAlive.destroy();
        return { total, failures, commits };
      });
      return stopped;
    },
  };
}

/** `GET <base>/healthz` once, as the test's own client. */
export async function healthOf(baseUrl: string): Promise<{ ok: boolean; commit: string; release: string | null }> {
  const res = await fetch(new URL('/healthz', baseUrl));
  if (!res.ok) throw new Error(`GET ${baseUrl}/healthz answered ${res.status}`);
  return (await res.json()) as { ok: boolean; commit: string; release: string | null };
}
