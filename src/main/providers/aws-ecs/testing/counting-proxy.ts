// An HTTP proxy in front of the AWS emulator that counts every call by service and operation, so a
// figure is what a real process sent over the wire (retries included), not what a test thinks it sent.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** `ecs:DescribeServices` → calls since the last reset. */
  counts(): Record<string, number>;
  total(): number;
  /** The operations in the order they arrived. */
  sequence(): string[];
  reset(): void;
  close(): Promise<void>;
}

function operationOf(req: IncomingMessage, body: string): string {
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unknown';
  const target = req.headers['x-amz-target'];
  const op =
    typeof target === 'string'
      ? target.slice(target.lastIndexOf('.') + 1)
      : (/(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? `${req.method ?? 'GET'} ${(req.url ?? '').split('?')[0]}`);
  return `${scope}:${op}`;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  let counts: Record<string, number> = {};
  let order: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = operationOf(req, body.toString('utf8'));
      counts[op] = (counts[op] ?? 0) + 1;
      order.push(op);
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    sequence: () => [...order],
    reset: () => {
      counts = {};
      order = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
