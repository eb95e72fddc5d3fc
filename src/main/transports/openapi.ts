// The local API as OpenAPI 3.1, generated from the contract's zod schemas (zod 4's toJSONSchema), so the
// contract stays the one source of truth. Served at /api/openapi.json and rendered into docs/api.md.
import { z } from 'zod';
import { CALL_PATH, WS_PATH } from '../../shared/contract/bridge.js';
import { procedures, streams } from '../../shared/contract/index.js';
import { errorCodes, wireErrorSchema } from '../../shared/errors.js';
import { version } from '../../shared/version.js';
import { HTTP_STATUS } from './http-api.js';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  return rest;
};

export function openApiDocument(): JsonSchema {
  const paths: Record<string, unknown> = {};
  const errorStatuses = [...new Set(errorCodes.map((code) => HTTP_STATUS[code]))].sort();
  for (const [name, def] of Object.entries(procedures)) {
    paths[`${CALL_PATH}/${name}`] = {
      post: {
        operationId: name,
        summary: def.summary,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.input, 'input') } } },
        responses: {
          200: {
            description: 'Done: the value.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { ok: { const: true }, value: jsonSchema(def.output, 'output') },
                  required: ['ok', 'value'],
                },
              },
            },
          },
          ...Object.fromEntries(
            errorStatuses.map((status) => [
              status,
              {
                description: errorCodes.filter((code) => HTTP_STATUS[code] === status).join(', '),
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } },
              },
            ]),
          ),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Slipway local API',
      version,
      description:
        'Everything the window and the CLI can do. It listens on 127.0.0.1 only, while the window or `slipway serve` runs; `slipway api` prints the address and where the token is.',
    },
    servers: [{ url: 'http://127.0.0.1:{port}', variables: { port: { default: '4800' } } }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The per-launch token from SLIPWAY_HOME/server.json (`slipway api` prints it).',
        },
      },
      schemas: {
        Failure: {
          type: 'object',
          properties: { ok: { const: false }, error: jsonSchema(wireErrorSchema, 'output') },
          required: ['ok', 'error'],
        },
      },
    },
    // Streams are not HTTP operations: they run over the WebSocket (`sub` → `event`… → `end`).
    'x-slipway-streams': {
      socket: WS_PATH,
      streams: Object.fromEntries(
        Object.entries(streams).map(([name, def]) => [
          name,
          { summary: def.summary, input: jsonSchema(def.input, 'input'), event: jsonSchema(def.event, 'output') },
        ]),
      ),
    },
  };
}
