// Headless entry (dist/main/server.js): the same workspace and loopback server as the window, no
// Electron. `node dist/main/server.js [--port N] [--open]` is what `slipway serve` runs.
import { main } from './cli.js';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
