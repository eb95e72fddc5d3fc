// docs/api.md, rendered from the OpenAPI document (itself generated from the contract). A test fails
// when the file in the repository is stale; `npm run docs:api` writes it.
import { HTTP_STATUS } from './http-api.js';

type Schema = Record<string, unknown>;

const asSchema = (value: unknown): Schema => (value && typeof value === 'object' ? (value as Schema) : {});

/** A short type for a table cell: `string`, `"a" \| "b"`, `object[]`. */
export function typeLabel(value: unknown): string {
  const schema = asSchema(value);
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map(typeLabel).join(' \\| ');
  if (schema.type === 'array') return `${typeLabel(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  if (typeof schema.type === 'string') return schema.type;
  return 'any';
}

const cell = (text: unknown): string =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

function fields(value: unknown): string {
  const schema = asSchema(value);
  const properties = asSchema(schema.properties);
  const names = Object.keys(properties);
  if (schema.type === 'array' && asSchema(schema.items).type === 'object')
    return `A list; each item:\n\n${fields(schema.items)}`;
  if (schema.type === 'object' && names.length === 0) return 'Nothing (`{}`).\n';
  if (schema.type !== 'object') return `\`${typeLabel(schema)}\`\n`;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = names.map((name) => {
    const p = asSchema(properties[name]);
    const notes = [
      p.description,
      p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined,
      p.pattern ? `pattern \`${cell(p.pattern)}\`` : undefined,
    ].filter(Boolean);
    return `| \`${name}\` | \`${typeLabel(p)}\` | ${required.has(name) ? 'yes' : ''} | ${cell(notes.join('; '))} |`;
  });
  return ['| field | type | required | notes |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function renderApiMarkdown(doc: Schema): string {
  const info = asSchema(doc.info);
  const paths = asSchema(doc.paths);
  const streams = asSchema(asSchema(doc['x-slipway-streams']).streams);
  const socket = String(asSchema(doc['x-slipway-streams']).socket);
  const out: string[] = [
    '# The local API',
    '',
    '<!-- Generated from the contract (src/shared/contract) by `npm run docs:api`. Do not edit by hand. -->',
    '',
    `${String(info.description)} This page is rendered from the same OpenAPI 3.1 document the`,
    "server answers at `GET /api/openapi.json`, which is generated from the contract's zod schemas.",
    '',
    '## Calling it',
    '',
    '- `POST /api/call/<procedure>` with a JSON body (the input below; `{}` when there is none).',
    '- `Authorization: Bearer <token>`: the `token` of `SLIPWAY_HOME/server.json`, new at every launch.',
    '  `GET /api/openapi.json` needs the same token: whoever can read the description can call the API.',
    "- `Host` must be `127.0.0.1:<port>` or `localhost:<port>`; a browser `Origin` must be the server's own.",
    '- The answer is an envelope: `{"ok": true, "value": …}` or `{"ok": false, "error": {"code", "message", "details?"}}`.',
    '  The HTTP status follows the error code, so `curl --fail` works:',
    '',
    '| code | HTTP status |',
    '|---|---|',
    ...Object.entries(HTTP_STATUS).map(([code, status]) => `| \`${code}\` | ${status} |`),
    '',
    `Streams (deploy progress, activity, logs) run over the WebSocket at \`${socket}?token=<token>\`: the`,
    'client sends `{"t": "sub", "id": 1, "name": "<stream>", "input": {…}}` and receives',
    '`{"t": "event", "id": 1, "event": …}` messages until `{"t": "end", "id": 1}`; `{"t": "unsub", "id": 1}` stops it.',
    'Procedures can be called on the socket too: `{"t": "call", "id", "name", "input"}` → `{"t": "result", "id", "result"}`.',
    '',
    '## Procedures',
    '',
  ];
  for (const [path, item] of Object.entries(paths)) {
    const post = asSchema(asSchema(item).post);
    const body = asSchema(asSchema(asSchema(asSchema(post.requestBody).content)['application/json']).schema);
    const ok = asSchema(
      asSchema(asSchema(asSchema(asSchema(post.responses)['200']).content)['application/json']).schema,
    );
    out.push(`### \`${String(post.operationId)}\``, '', String(post.summary), '', `\`POST ${path}\``, '');
    out.push('Input:', '', fields(body), 'Value:', '', fields(asSchema(asSchema(ok.properties).value)));
  }
  out.push('## Streams', '');
  for (const [name, stream] of Object.entries(streams)) {
    const s = asSchema(stream);
    out.push(
      `### \`${name}\``,
      '',
      String(s.summary),
      '',
      'Input:',
      '',
      fields(s.input),
      'Each event:',
      '',
      fields(s.event),
    );
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
