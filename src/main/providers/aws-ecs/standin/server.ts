// A loopback HTTP stand-in for the AWS account behind an ECS environment: ECS, ECR and CloudWatch Logs
// over awsJson1_1, STS GetCallerIdentity and the ELBv2 reads over the query protocol, all served from
// the in-memory models the provider's tests use. Point real SDK clients (or the AWS CLI) at it with AWS_ENDPOINT_URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, FakeEcsModel } from '../testing/fake-ecs-model.js';
import { FakeElbModel } from '../testing/fake-elb-model.js';
import { seedDemoAccount, type DemoAccount } from './demo-account.js';
import { EcrModel } from './ecr-model.js';
import { simulateCommand } from './one-off-commands.js';
import { queryList, readBody, sendJson, sendJsonError, sendQueryError, sendQueryResult } from './wire.js';

export interface StandInOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** How long a rollout takes to become healthy after UpdateService, and a one-off task to run. */
  readonly settleAfterMs?: number;
  /** Start with the demo account (default true). */
  readonly demo?: boolean;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT`: the value for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  readonly ecs: FakeEcsModel;
  readonly ecr: EcrModel;
  readonly elb: FakeElbModel;
  readonly demo: DemoAccount | undefined;
  /** Operation names in the order they were served (`ecs:UpdateService`), for benchmarks. */
  readonly calls: string[];
  dispose(): Promise<void>;
}

type Operation = (input: unknown) => unknown;

/** The `X-Amz-Target` prefix of each JSON service, and its operations. */
function jsonServices(
  ecs: FakeEcsModel,
  ecr: EcrModel,
): Map<string, { service: string; ops: Record<string, Operation> }> {
  // The tables' inputs are typed per operation; the wire hands them parsed JSON of that shape.
  const loose = (table: object): Record<string, Operation> => table as Record<string, Operation>;
  return new Map([
    ['AmazonEC2ContainerServiceV20141113', { service: 'ecs', ops: loose(ecs.ecsApi) }],
    ['AmazonEC2ContainerRegistry_V20150921', { service: 'ecr', ops: loose(ecr.api) }],
    ['Logs_20140328', { service: 'logs', ops: loose(ecs.logsApi) }],
  ]);
}

const ELB_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** ELBv2's query operations: their form inputs read into the model's input shape. */
function elbOperations(elb: FakeElbModel): Record<string, (form: URLSearchParams) => Record<string, unknown>> {
  const page = (form: URLSearchParams) => ({
    ...(form.has('Marker') ? { Marker: form.get('Marker') ?? '' } : {}),
    ...(form.has('PageSize') ? { PageSize: Number(form.get('PageSize')) } : {}),
  });
  return {
    DescribeTargetGroups: (form) =>
      elb.api.DescribeTargetGroups({ TargetGroupArns: queryList(form, 'TargetGroupArns'), ...page(form) }),
    DescribeLoadBalancers: (form) =>
      elb.api.DescribeLoadBalancers({ LoadBalancerArns: queryList(form, 'LoadBalancerArns'), ...page(form) }),
  };
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const ecs = new FakeEcsModel('eu-west-1');
  ecs.settleAfterMs = options.settleAfterMs ?? 300;
  ecs.behaviourFor = simulateCommand;
  let endpoint = '';
  const ecr = new EcrModel(ACCOUNT, (repository, digest) => `${endpoint}/ecr-blobs/${repository}/${digest}`);
  const services = jsonServices(ecs, ecr);
  const elb = new FakeElbModel('eu-west-1');
  const elbOps = elbOperations(elb);
  const calls: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/ecr-blobs/')) {
      const rest = url.pathname.slice('/ecr-blobs/'.length);
      const at = rest.lastIndexOf('/');
      const blob = ecr.blob(decodeURIComponent(rest.slice(0, at)), decodeURIComponent(rest.slice(at + 1)));
      res.writeHead(blob === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(blob ?? '{}');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.indexOf('.');
      const entry = services.get(target.slice(0, dot));
      const name = target.slice(dot + 1);
      const op = entry?.ops[name];
      if (!entry || !op) {
        sendJsonError(res, 400, 'UnknownOperationException', `The stand-in does not implement ${target}.`);
        return;
      }
      calls.push(`${entry.service}:${name}`);
      try {
        sendJson(res, 200, op(body === '' ? {} : JSON.parse(body)));
      } catch (error) {
        const e = error as ErrorShape;
        if (typeof e.name === 'string' && e.$metadata !== undefined) {
          sendJsonError(res, e.$metadata.httpStatusCode ?? 400, e.name, typeof e.message === 'string' ? e.message : '');
        } else {
          sendJsonError(res, 500, 'ServerException', 'The stand-in failed to handle the request.');
        }
      }
      return;
    }
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? '';
    const elbOp = Object.hasOwn(elbOps, action) ? elbOps[action] : undefined;
    if (elbOp) {
      calls.push(`elasticloadbalancing:${action}`);
      try {
        sendQueryResult(res, action, elbOp(form), ELB_NAMESPACE);
      } catch (error) {
        const e = error as ErrorShape;
        // The query protocol names errors without the SDK's `Exception` suffix.
        const code = typeof e.name === 'string' ? e.name.replace(/Exception$/, '') : 'InternalFailure';
        sendQueryError(res, e.$metadata?.httpStatusCode ?? 500, code, typeof e.message === 'string' ? e.message : '');
      }
      return;
    }
    if (action === 'GetCallerIdentity') {
      calls.push('sts:GetCallerIdentity');
      sendQueryResult(res, 'GetCallerIdentity', {
        Arn: `arn:aws:iam::${ACCOUNT}:user/slipway-demo`,
        UserId: 'AIDASTANDIN0000DEMO01',
        Account: ACCOUNT,
      });
      return;
    }
    sendQueryError(
      res,
      400,
      'InvalidAction',
      `The stand-in does not implement ${form.get('Action') ?? 'that request'}.`,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJsonError(res, 400, 'SerializationException', 'The request body could not be read.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const demo = options.demo === false ? undefined : seedDemoAccount(ecs, ecr, elb);

  return {
    endpoint,
    ecs,
    ecr,
    elb,
    demo,
    calls,
    dispose: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SDK clients keep connections alive; close them so the port is free at once.
        server.closeAllConnections();
      }),
  };
}
