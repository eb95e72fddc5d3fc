// Entry of the process that runs one local instance (bundled as dist/main/local-instance.js):
//   node local-instance.js --log <file> [--record <file>] [--max-bytes N] -- <command>
// It leads the instance's process group, runs the app in it, and writes the app's stdout and stderr to
// a rotated log file with a time and stream on every line. Stop signals reach the whole group: the
// app handles them, this process keeps writing until the app has exited, then exits with its code.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { LineSplitter, LOG_MAX_BYTES, RotatingLogWriter, type LogStreamName } from './log-files.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const logFile = argument('log');
const command = process.argv.slice(process.argv.indexOf('--') + 1).join(' ');
if (!logFile || !process.argv.includes('--') || command === '') {
  process.stderr.write('usage: local-instance --log <file> [--record <file>] [--max-bytes N] -- <command>\n');
  process.exit(2);
}
const maxBytes = Number(argument('max-bytes') ?? process.env.SLIPWAY_LOG_MAX_BYTES ?? LOG_MAX_BYTES);
const writer = new RotatingLogWriter(logFile, Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : LOG_MAX_BYTES);

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
delete env.SLIPWAY_LOG_MAX_BYTES;

// The stop signal is for the app; this process leaves when the app has gone.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) {
  process.on(signal, () => undefined);
}

const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true });
const follow = (stream: NodeJS.ReadableStream, name: LogStreamName): LineSplitter => {
  const lines = new LineSplitter((line) => writer.write(name, line));
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => lines.push(chunk));
  stream.on('end', () => lines.end());
  return lines;
};
follow(child.stdout, 'stdout');
follow(child.stderr, 'stderr');

// Whoever started this process writes its instance record right after. Deploys and local:stop find
// instances by their records, so if the starter died before writing it, nothing would ever stop this
// one: stop the app (and, if it will not go, the whole group) rather than run untracked.
const record = argument('record');
if (record) {
  const stopUntracked = async (): Promise<void> => {
    const pid = await readFile(record, 'utf8').then(
      (text) => (JSON.parse(text) as { pid?: unknown }).pid,
      () => undefined,
    );
    if (pid === process.pid) return;
    writer.write('stderr', `slipway: no instance record names this process (${record}); stopping the app`);
    const group = (signal: NodeJS.Signals): void => {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-process.pid, signal);
    };
    group('SIGTERM');
    setTimeout(() => group('SIGKILL'), 10_000).unref();
  };
  setTimeout(() => void stopUntracked(), Number(process.env.SLIPWAY_RECORD_CHECK_MS ?? 10_000)).unref();
}

child.once('error', (error) => {
  writer.write('stderr', `slipway: could not start the app: ${error.message}`);
  writer.close();
  process.exit(127);
});
// 'close' comes after both pipes have ended, so every line is written before we leave.
child.once('close', (code, signal) => {
  writer.close();
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
