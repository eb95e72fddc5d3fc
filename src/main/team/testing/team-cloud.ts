// For the team tests: a bucket, an ECS service on the AWS emulator, the built `slipway` run as a
// teammate (own SLIPWAY_HOME and identity), and an HTTP proxy in front of the emulator that can be
// slowed down (a slow ECS) or stopped (S3 unreachable).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export const BIN = resolve('bin/slipway.js');
export const emulator = (): string => process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';

export const s3 = (): S3Client => new S3Client({ region: 'us-east-1', forcePathStyle: true, endpoint: emulator() });

export interface TeamCloud {
  readonly suffix: string;
  readonly bucket: string;
  readonly cluster: string;
  readonly service: string;
}

export async function makeTeamCloud(): Promise<TeamCloud> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const cloud = { suffix, bucket: `team-${suffix}`, cluster: `team-${suffix}`, service: `web-${suffix}` };
  const ecs = new ECSClient({ region: 'us-east-1', endpoint: emulator() });
  await ecs.send(new CreateClusterCommand({ clusterName: cloud.cluster }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: cloud.service,
      containerDefinitions: [{ name: 'web', image: `nginx@sha256:${'a'.repeat(64)}`, memory: 128, essential: true }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: cloud.cluster,
      serviceName: cloud.service,
      taskDefinition: cloud.service,
      desiredCount: 1,
    }),
  );
  // The emulator leaves a new service's first rollout in progress; a forced deployment completes at once.
  await ecs.send(
    new UpdateServiceCommand({ cluster: cloud.cluster, service: cloud.service, forceNewDeployment: true }),
  );
  await s3().send(new CreateBucketCommand({ Bucket: cloud.bucket }));
  ecs.destroy();
  return cloud;
}

export interface Teammate {
  readonly name: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

export function teammate(name: string, env: NodeJS.ProcessEnv = {}): Teammate {
  return {
    name,
    home: mkdtempSync(join(tmpdir(), `slipway-${name}-`)),
    env: {
      ...process.env,
      SLIPWAY_ACTOR: name,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  };
}

export interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stderr(): string;
}

export function slipway(who: Teammate, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...who.env, SLIPWAY_HOME: who.home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (ok) => child.on('close', (code, signal) => ok({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

/** Runs a command to the end; fails with its stderr when it exits non-zero. */
export async function ok(who: Teammate, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await slipway(who, args, env).done;
  if (result.code !== 0) throw new Error(`slipway ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export interface EmulatorProxy {
  readonly url: string;
  /** Stop answering: connections are refused, as with an unreachable endpoint. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Forwards to the emulator; `hold` keeps chosen requests back until the promise it returns settles (a
 * request whose caller died meanwhile is dropped).
 */
export async function startEmulatorProxy(
  hold: (req: IncomingMessage) => Promise<unknown> | undefined = () => undefined,
): Promise<EmulatorProxy> {
  const target = new URL(emulator());
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void Promise.resolve(hold(req)).finally(() => {
        if (res.destroyed || req.socket.destroyed) return;
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const listen = (): Promise<void> => new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const stop = (): Promise<void> =>
    new Promise((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, down: stop, up: listen, close: stop };
}

/** Waits for `check`, bounded (generous: a loaded 2-core machine starts a CLI process slowly). */
export const until = async (check: () => Promise<boolean>, timeoutMs = 60_000, what = 'a condition'): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
