// The `slipway` command: parses argv, runs one command against the workspace in-process, exits with
// 0 (done), 1 (the command failed) or 2 (the command line was wrong).
import { runCli } from './cli/run.js';
import { processIo, type CliIo } from './cli/io.js';

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // The AWS SDK prints a multi-line notice about future Node versions on first use; Slipway's output
  // (often piped as JSON) stays its own. Node support is stated in package.json's engines.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return runCli(argv, io);
}
