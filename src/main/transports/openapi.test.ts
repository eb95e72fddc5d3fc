// The API description comes from the contract: served behind the API's token, and docs/api.md is
// exactly what the contract renders to (run `npm run docs:api` when this fails).
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedures } from '../../shared/contract/index.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { openApiDocument } from './openapi.js';
import { renderApiMarkdown } from './openapi-markdown.js';
import { OPENAPI_PATH } from './openapi-path.js';
import { createRouterFixture } from './router-fixture.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer({ router: createRouterFixture().router, rendererDir: tmpdir() });
});
afterAll(async () => {
  await server?.dispose();
});

const get = (token?: string) =>
  fetch(`http://127.0.0.1:${server.port}${OPENAPI_PATH}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });

describe('OpenAPI description of the local API', () => {
  it('is served at /api/openapi.json with the token, and refused without it', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('wrong')).status).toBe(401);
    const answer = await get(server.token);
    expect(answer.status).toBe(200);
    const doc = (await answer.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      Object.keys(procedures)
        .map((n) => `/api/call/${n}`)
        .sort(),
    );
  });

  it('describes inputs as the contract parses them: required fields, patterns, defaults', () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        { post: { requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } } } }
      >;
    };
    const join = doc.paths['/api/call/team.join']!.post.requestBody.content['application/json'].schema;
    expect(join).toMatchObject({ type: 'object', required: ['bucket', 'region'] });
    const list = doc.paths['/api/call/activity.list']!.post.requestBody.content['application/json'].schema as {
      properties: { limit: { default: number; maximum: number } };
    };
    // An input default is optional to send; the spec says what the server fills in.
    expect(list.properties.limit).toMatchObject({ default: 50, maximum: 200 });
  });

  it('is what docs/api.md says (run `npm run docs:api` when the contract changed)', async () => {
    const onDisk = await readFile('docs/api.md', 'utf8');
    expect(onDisk === renderApiMarkdown(openApiDocument()), 'docs/api.md is stale: run `npm run docs:api`').toBe(true);
  });
});
