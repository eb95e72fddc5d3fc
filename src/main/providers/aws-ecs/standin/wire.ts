// The AWS wire formats the stand-in speaks: awsJson1_1 bodies (timestamps as epoch seconds) and
// errors, and the query protocol's form inputs and XML answers for STS and ELBv2.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Dates become epoch seconds, as awsJson1_1 sends timestamps; everything else is copied. */
export function toAwsJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toAwsJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toAwsJson(v)]),
    );
  }
  return value;
}

export async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let requestSeq = 0;
const requestId = (): string => `standin-${(++requestSeq).toString(16).padStart(8, '0')}`;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(toAwsJson(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId(),
  });
  res.end(text);
}

/** An awsJson1_1 error: the SDK reads the exception name from `__type`. */
export function sendJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  res.setHeader('x-amzn-errortype', type);
  sendJson(res, status, { __type: type, message });
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** Query-protocol XML: structures as elements, lists as `<member>`s, timestamps in ISO 8601. */
export function toQueryXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toQueryXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toQueryXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value as string | number | boolean));
}

/** A query-protocol list input: `Name.member.1`, `Name.member.2`, … in order. */
export function queryList(form: URLSearchParams, name: string): string[] | undefined {
  const prefix = `${name}.member.`;
  const items = [...form.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [Number(key.slice(prefix.length)), value] as const)
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value);
  return items.length === 0 ? undefined : items;
}

/** A query-protocol response: `<ActionResponse><ActionResult>…</ActionResult></ActionResponse>`. */
export function sendQueryResult(
  res: ServerResponse,
  action: string,
  fields: Readonly<Record<string, unknown>>,
  namespace = 'https://sts.amazonaws.com/doc/2011-06-15/',
): void {
  const inner = toQueryXml(fields);
  const text =
    `<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendQueryError(res: ServerResponse, status: number, code: string, message: string): void {
  const text =
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId()}</RequestId></ErrorResponse>`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
