// `npm start` (after the build): the desktop app when Electron is installed, otherwise the same
// workspace and UI in the browser through the loopback server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when the download was skipped.
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const env = { ...process.env };
  // Set by some tools; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the child through the terminal; a SIGTERM to us is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  child.on('error', (error) => {
    process.stderr.write(`Could not start ${command}: ${error.message}\n`);
    process.exitCode = 1;
  });
}

const electron = electronBinary();
if (electron) {
  run(electron, ['.', ...process.argv.slice(2)]);
} else {
  process.stderr.write('Electron is not installed on this machine; opening Slipway in your browser instead.\n');
  run(process.execPath, [join(root, 'dist', 'main', 'server.js'), '--open', ...process.argv.slice(2)]);
}
