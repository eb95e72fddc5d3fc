// Runs a shell command to completion (build, release phase), streaming its output line by line.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { signalGroup } from './processes.js';

export interface CommandResult {
  readonly exitCode: number;
  /** The last lines of output. */
  readonly tail: readonly string[];
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onLine: (line: string) => void;
  readonly signal?: AbortSignal | undefined;
  readonly tailLines?: number;
}

export function runCommand(command: string, options: RunOptions): Promise<CommandResult> {
  const keep = options.tailLines ?? 20;
  return new Promise((resolve, reject) => {
    // Own process group, so cancelling stops whatever the shell started too.
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const line = (text: string): void => {
      tail.push(text);
      if (tail.length > keep) tail.shift();
      options.onLine(text);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (partial + chunk).split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const part of parts) line(part);
      });
      stream.on('end', () => {
        if (partial !== '') line(partial);
        partial = '';
      });
    }
    const abort = (): void => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) abort();
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', abort);
      reject(error);
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      resolve({ exitCode: code ?? (signal === null ? 1 : 128 + signalNumber(signal)), tail });
    });
  });
}

// Shells report death by signal N as 128 + N.
const signalNumber = (signal: NodeJS.Signals): number => constants.signals[signal] ?? 1;
