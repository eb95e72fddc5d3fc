// A process under a pseudo-terminal as an ExecSession: what the local shell and the session manager
// plugin both run under. node-pty is loaded on first use, so commands that never open a terminal do
// not pay for it.
import type { ExecSession } from '../providers/capabilities.js';
import { Emitter } from '../util/emitter.js';
import { killSession } from './process-tree.js';

export interface PtySpawn {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cols: number;
  readonly rows: number;
  /** What the session reports as its instance. */
  readonly instance: string;
}

export interface PtyExecSession extends ExecSession {
  /** The process under the pty (it leads its own session). */
  readonly pid: number;
}

export async function spawnPty(options: PtySpawn): Promise<PtyExecSession> {
  const pty = await import('node-pty');
  const child = pty.spawn(options.file, [...options.args], {
    name: 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env as Record<string, string>,
  });
  const data = new Emitter<string>();
  const exit = new Emitter<{ exitCode: number; signal?: number }>();
  let exited = false;
  const subscriptions = [
    child.onData((chunk) => data.fire(chunk)),
    child.onExit(({ exitCode, signal }) => {
      exited = true;
      // A shell killed by a signal reports 128 + n, as shells do.
      exit.fire(signal ? { exitCode: exitCode || 128 + signal, signal } : { exitCode });
    }),
  ];
  let disposed: Promise<void> | undefined;
  return {
    instance: options.instance,
    pid: child.pid,
    onData: data.event,
    onExit: exit.event,
    write: (text) => {
      if (!exited) child.write(text);
    },
    resize: (cols, rows) => {
      if (!exited) child.resize(cols, rows);
    },
    pause: () => child.pause(),
    resume: () => child.resume(),
    dispose() {
      disposed ??= (async () => {
        for (const subscription of subscriptions) subscription.dispose();
        // Even after the leader exited, what it left running in its session is ended.
        await killSession(child.pid);
        try {
          child.kill('SIGKILL');
        } catch {
          // Already gone.
        }
      })();
      return disposed;
    },
  };
}
