// What a command may touch of the outside world, so tests can run `main()` for real and read its output.
export interface CliIo {
  /** Results only: with --json, exactly one JSON value. */
  readonly stdout: (text: string) => void;
  /** Progress, prompts, warnings and errors. */
  readonly stderr: (text: string) => void;
  /** Whether a person can answer a question (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /**
   * Reads one answer from the person; undefined when input ended. `hidden`: typed characters are not
   * echoed, and without a terminal the answer is stdin (all of it, for a piped secret).
   */
  readonly ask: (question: string, options?: { hidden?: boolean }) => Promise<string | undefined>;
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
    ask: async (question, options) => {
      if (options?.hidden && !process.stdin.isTTY) {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks)
          .toString('utf8')
          .replace(/\r?\n$/, '');
      }
      if (options?.hidden) return askHidden(question);
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

/** A prompt whose answer is not echoed (a secret typed on a terminal). */
async function askHidden(question: string): Promise<string | undefined> {
  const { createInterface } = await import('node:readline/promises');
  const { Writable } = await import('node:stream');
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } catch {
    return undefined;
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
