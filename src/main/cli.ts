// The `slipway` command: parses argv, runs one command against the workspace in-process, exits with
// 0 (done), 1 (the command failed) or 2 (the command line was wrong).
import { runCli } from './cli/run.js';
import { processIo, type CliIo } from './cli/io.js';

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCli(argv, io);
}
