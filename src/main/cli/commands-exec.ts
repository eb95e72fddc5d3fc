// `slipway ps:exec`: a shell or command in a running instance, attached to this terminal. The local
// terminal goes raw, so Ctrl-C, Ctrl-D and arrow keys reach the remote side; its size follows ours;
// the process exits with the remote exit code.
import { TERMINAL_FLOW } from '../../shared/contract/terminal.js';
import type { WireError } from '../../shared/errors.js';
import { ENV_OPTION, PIPELINE } from './commands-read.js';
import { CommandFailed, UsageError, type CommandSpec } from './spec.js';

const size = (): { cols: number; rows: number } => ({
  cols: Math.min(1_000, Math.max(2, process.stdout.columns || 80)),
  rows: Math.min(500, Math.max(1, process.stdout.rows || 24)),
});

export const psExec: CommandSpec = {
  name: 'ps:exec',
  summary: 'A shell (or the command after --) in a running instance, attached to this terminal.',
  args: [PIPELINE, { name: 'INSTANCE', required: false }, { name: 'COMMAND', required: false, variadic: true }],
  options: { env: ENV_OPTION },
  examples: [
    'slipway ps:exec shop --env staging',
    'slipway ps:exec shop --env production 0a1b2c3d4e5f -- rails console',
    'slipway ps:exec shop --env staging -- sh -c "env | sort"',
  ],
  async run(ctx) {
    const command = ctx.passthrough && ctx.passthrough.length > 0 ? [...ctx.passthrough] : undefined;
    const before = ctx.args.slice(0, ctx.args.length - (ctx.passthrough?.length ?? 0));
    if (before.length > 2) {
      throw new UsageError(
        `Unexpected argument "${before[2]}".`,
        'Put the command after --: slipway ps:exec PIPELINE --env ENV [INSTANCE] -- COMMAND…',
      );
    }
    const [pipeline = '', instance] = before;
    const environment = typeof ctx.opts.env === 'string' ? ctx.opts.env : '';
    const { ticket } = await ctx.call('terminal.ticket', {
      pipeline,
      environment,
      ...(instance ? { instance } : {}),
      ...(command ? { command } : {}),
      ...size(),
    });

    const stdin = process.stdin;
    const stdout = process.stdout;
    const raw = stdin.isTTY === true;
    let exitCode: number | undefined;
    let unacknowledged = 0;
    let finished: (outcome: { exitCode?: number; error?: WireError }) => void = () => undefined;
    const done = new Promise<{ exitCode?: number; error?: WireError }>((resolve) => (finished = resolve));

    const channel = await ctx.open(
      'terminal.session',
      { ticket },
      (event) => {
        if (event.type === 'ready') {
          if (!command) ctx.io.stderr(`Connected to ${event.instance}. Exit the shell to leave.\r\n`);
        } else if (event.type === 'output') {
          const chars = event.data.length;
          // Acknowledged once the terminal has taken it, so a flood waits at the source.
          stdout.write(event.data, () => {
            unacknowledged += chars;
            if (unacknowledged >= TERMINAL_FLOW.ACK_SIZE_CHARS) {
              channel.send({ type: 'ack', chars: unacknowledged });
              unacknowledged = 0;
            }
          });
        } else {
          exitCode = event.exitCode;
        }
      },
      (error) => finished(error ? { error } : exitCode === undefined ? {} : { exitCode }),
    );

    const onInput = (data: string | Buffer): void => {
      channel.send({ type: 'input', data: typeof data === 'string' ? data : data.toString('utf8') });
    };
    const onResize = (): void => channel.send({ type: 'resize', ...size() });
    // Piped input (`echo ls | slipway ps:exec …`): its end is an end-of-file at the remote terminal.
    const onEnd = (): void => channel.send({ type: 'input', data: '\x04' });
    if (raw) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onInput);
    if (!raw) stdin.once('end', onEnd);
    stdin.resume();
    stdout.on('resize', onResize);
    // Signals that would stop this process end the session instead (Ctrl-C itself goes to the remote).
    const onSignal = (): void => void channel.close().then(() => finished({ exitCode: 129 }));
    process.once('SIGHUP', onSignal);
    process.once('SIGTERM', onSignal);

    try {
      const outcome = await done;
      if (outcome.error) throw new CommandFailed(outcome.error);
      // An exit status is a byte; 256 would read as success.
      const code = outcome.exitCode ?? 1;
      return code > 255 || code < 0 ? 1 : code;
    } finally {
      process.off('SIGHUP', onSignal);
      process.off('SIGTERM', onSignal);
      stdout.off('resize', onResize);
      stdin.off('data', onInput);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      await channel.close();
    }
  },
};

export const envEnableExec: CommandSpec = {
  name: 'env:enable-exec',
  summary: 'Turn on ECS Exec for an environment (enableExecuteCommand and a new deployment); audited.',
  args: [PIPELINE],
  options: { env: ENV_OPTION },
  examples: ['slipway env:enable-exec shop --env staging'],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = typeof ctx.opts.env === 'string' ? ctx.opts.env : '';
    const value = await ctx.call('environments.enableExec', { pipeline, environment });
    return {
      value,
      human: `Exec is on for ${pipeline}/${environment}. A new deployment is starting; shells open once its tasks run.\n`,
    };
  },
};
