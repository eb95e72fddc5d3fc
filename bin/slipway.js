#!/usr/bin/env node
// Kept tiny: `slipway --version` answers without loading the CLI.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const { createRequire } = await import('node:module');
  process.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
} else {
  const { main } = await import('../dist/main/cli.js');
  process.exitCode = await main(args);
}
