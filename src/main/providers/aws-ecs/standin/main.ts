// `node dist/test/aws-standin.js [--port N] [--settle-ms N]`: starts the AWS stand-in with the demo
// account, prints {"endpoint":"http://127.0.0.1:PORT"} on stdout, and runs until SIGINT or SIGTERM.
import { parseArgs } from 'node:util';
import { startStandIn } from './server.js';

const number = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`aws-standin: --${name} takes a whole number; got "${text}".\n`);
    process.exit(2);
  }
  return value;
};

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'settle-ms': { type: 'string' } },
  strict: true,
});
const port = number(values.port, 'port');
const settleAfterMs = number(values['settle-ms'], 'settle-ms');
const standIn = await startStandIn({
  ...(port === undefined ? {} : { port }),
  ...(settleAfterMs === undefined ? {} : { settleAfterMs }),
});
process.stdout.write(`${JSON.stringify({ endpoint: standIn.endpoint })}\n`);

const stop = (): void => {
  void standIn.dispose().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
