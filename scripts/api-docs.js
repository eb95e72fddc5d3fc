// Writes docs/api.md from the contract: bundles the generator with esbuild (already a dev dependency),
// runs it, and writes what it renders. `npm run docs:api`; a test fails while the file is stale.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'slipway-api-docs-'));
try {
  const entry = join(dir, 'api-docs.mjs');
  await build({
    stdin: {
      contents:
        "export { openApiDocument } from './src/main/transports/openapi.ts';\nexport { renderApiMarkdown } from './src/main/transports/openapi-markdown.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: entry,
    logLevel: 'warning',
  });
  const { openApiDocument, renderApiMarkdown } = await import(pathToFileURL(entry).href);
  writeFileSync('docs/api.md', renderApiMarkdown(openApiDocument()));
  console.log('docs/api.md written');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
