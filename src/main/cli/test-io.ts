// A CliIo that records what a command printed, for tests that run `main()` for real.
import type { CliIo } from './io.js';

export interface RecordingIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly questions: string[];
  /** Ends a long-running command (serve) as Ctrl-C would. */
  stop(): void;
}

export function recordingIo(
  options: { interactive?: boolean; answers?: string[]; env?: NodeJS.ProcessEnv; now?: number } = {},
): RecordingIo {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  let stopped: (() => void) | undefined;
  return {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    interactive: options.interactive ?? false,
    ask: async (question) => {
      questions.push(question);
      return answers.shift();
    },
    env: options.env ?? {},
    now: () => options.now ?? Date.parse('2030-01-01T12:00:00Z'),
    untilStopped: (signal) =>
      new Promise((resolve) => {
        stopped = () => resolve('SIGINT');
        signal?.addEventListener('abort', () => resolve('abort'), { once: true });
      }),
    out: () => stdout,
    err: () => stderr,
    questions,
    stop: () => stopped?.(),
  };
}
