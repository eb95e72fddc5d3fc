// Where the loopback server serves the API's OpenAPI description (a module of its own: the CLI names it
// without loading the contract's JSON Schema generation).
export const OPENAPI_PATH = '/api/openapi.json';
