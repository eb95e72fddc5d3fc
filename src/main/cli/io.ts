// What a command may touch of the outside world, so tests can run `main()` for real and read its output.
export interface CliIo {
  /** Results only: with --json, exactly one JSON value. */
  readonly stdout: (text: string) => void;
  /** Progress, prompts, warnings and errors. */
  readonly stderr: (text: string) => void;
  /** Whether a person can answer a question (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** Reads one answer from the person; undefined when input ended. */
  readonly ask: (question: string) => Promise<string | undefined>;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** Resolves when the person asks to stop (SIGINT/SIGTERM); used by long-running commands. */
  readonly untilStopped: (signal?: AbortSignal) => Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } catch {
        return undefined;
      } finally {
        rl.close();
      }
    },
    env: process.env,
    now: () => Date.now(),
    untilStopped: (signal) =>
      new Promise((resolve) => {
        const stop = (name: string) => () => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          // A second Ctrl-C while shutting down means "now".
          process.once('SIGINT', () => process.exit(130));
          resolve(name);
        };
        const onInt = stop('SIGINT');
        const onTerm = stop('SIGTERM');
        process.once('SIGINT', onInt);
        process.once('SIGTERM', onTerm);
        signal?.addEventListener('abort', stop('abort'), { once: true });
      }),
  };
}
