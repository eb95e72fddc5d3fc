// Parses the command line, runs the command against the workspace, prints the result and picks the
// exit code. Services load lazily: `slipway help` and usage errors never touch the workspace.
import { parseArgs } from 'node:util';
import type { Disposable } from '../util/disposable.js';
import type { Services } from '../services.js';
import { closest } from './args.js';
import { COMMANDS, GLOBAL_OPTIONS, findCommand } from './commands.js';
import { commandHelp, generalHelp, usageLine } from './help.js';
import type { CliIo } from './io.js';
import { packageInfo } from './package-root.js';
import { CommandFailed, UsageError, type CommandContext, type CommandSpec, type OptionSpec } from './spec.js';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

interface Parsed {
  readonly command: CommandSpec;
  readonly args: string[];
  readonly opts: Record<string, string | boolean | string[] | undefined>;
}

/** Whether an option was given a value (a repeatable option: at least one). */
const given = (value: string | boolean | string[] | undefined): boolean =>
  Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value !== '';

function parseCommand(command: CommandSpec, argv: readonly string[]): Parsed {
  const options: Record<string, OptionSpec> = { ...command.options, ...GLOBAL_OPTIONS };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [
          name,
          {
            type: spec.type,
            ...(spec.short ? { short: spec.short } : {}),
            ...(spec.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    });
  } catch (error) {
    throw explainParseError(error, command, Object.keys(options));
  }
  const opts = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (opts.help === true) return { command, args: parsed.positionals, opts };

  for (const [name, spec] of Object.entries(command.options)) {
    const alternative = spec.or === undefined ? false : given(opts[spec.or]);
    if (spec.required && !given(opts[name]) && !alternative) {
      throw new UsageError(`${command.name} needs --${name} ${spec.value ?? 'VALUE'}.`, `Usage: ${usageLine(command)}`);
    }
    if (alternative && given(opts[name])) {
      throw new UsageError(
        `--${name} and --${spec.or} mean the same here; give one of them.`,
        `Usage: ${usageLine(command)}`,
      );
    }
  }
  const args = parsed.positionals;
  const required = command.args.filter((a) => a.required);
  if (args.length < required.length) {
    const missing = required[args.length];
    throw new UsageError(`${command.name} needs ${missing?.name ?? 'more arguments'}.`, `Usage: ${usageLine(command)}`);
  }
  const variadic = command.args.some((a) => a.variadic);
  if (!variadic && args.length > command.args.length) {
    throw new UsageError(`Unexpected argument "${args[command.args.length]}".`, `Usage: ${usageLine(command)}`);
  }
  return { command, args, opts };
}

function explainParseError(error: unknown, command: CommandSpec, known: string[]): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const usage = `Usage: ${usageLine(command)}`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-{1,2}[^' ]+)'/.exec(message)?.[1] ?? 'that option';
    const guess = closest(flag.replace(/^-+/, '').split('=')[0] ?? '', known);
    return new UsageError(`${command.name} has no option ${flag}.`, guess ? `Did you mean --${guess}?` : usage);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--[^' ]+)/.exec(message)?.[1];
    const spec = flag ? command.options[flag.slice(2)] : undefined;
    if (flag && spec?.type === 'string')
      return new UsageError(`${flag} needs a value: ${flag} ${spec.value ?? 'VALUE'}.`, usage);
    if (flag) return new UsageError(`${flag} does not take a value.`, usage);
  }
  return new UsageError(message.split('\n')[0] ?? message, usage);
}

function printError(io: CliIo, json: boolean, code: string, message: string, hint?: string): void {
  io.stderr(`error ${code}: ${message}\n`);
  if (hint) io.stderr(`${hint}\n`);
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: { code, message } })}\n`);
}

export async function runCli(input: readonly string[], io: CliIo): Promise<number> {
  // `slipway --json status shop` reads as well as `slipway status shop --json`.
  // After `--` everything belongs to a command being run (`slipway run … -- tool --json`).
  const afterFlag = input.slice(1);
  const cut = afterFlag.indexOf('--');
  const argv =
    input[0] !== '--json'
      ? input
      : cut === -1
        ? [...afterFlag, '--json']
        : [...afterFlag.slice(0, cut), '--json', ...afterFlag.slice(cut)];
  const end = argv.indexOf('--');
  const json = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  const [first, ...rest] = argv;

  if (first === '--version' || first === '-v' || first === 'version') {
    const version = packageInfo().version;
    io.stdout(json ? `${JSON.stringify({ version })}\n` : `${version}\n`);
    return EXIT_OK;
  }
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? rest.find((a) => !a.startsWith('-')) : undefined;
    if (topic !== undefined) {
      const command = findCommand(topic);
      if (!command) {
        printError(io, json, 'INVALID_INPUT', `There is no command "${topic}".`, hintFor(topic));
        return EXIT_USAGE;
      }
      io.stdout(commandHelp(command));
      return EXIT_OK;
    }
    if (first === undefined) {
      io.stderr(generalHelp());
      return EXIT_USAGE;
    }
    io.stdout(generalHelp());
    return EXIT_OK;
  }

  const command = findCommand(first);
  if (!command) {
    const what = first.startsWith('-') ? `Start with a command, not "${first}".` : `There is no command "${first}".`;
    printError(io, json, 'INVALID_INPUT', what, hintFor(first));
    return EXIT_USAGE;
  }

  let parsed: Parsed;
  try {
    parsed = parseCommand(command, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(io, json, 'INVALID_INPUT', error.message, error.hint);
    return EXIT_USAGE;
  }
  if (parsed.opts.help === true) {
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }

  let services: Promise<Services> | undefined;
  const home = await resolveHomeLazily(io.env);
  const getServices = (): Promise<Services> => {
    services ??= import('../services.js').then(({ createServices }) => createServices({ home }));
    return services;
  };
  const ctx: CommandContext = {
    args: parsed.args,
    opts: parsed.opts,
    io,
    json,
    home,
    async call(name, input) {
      const { router } = await getServices();
      const result = await router.call(name, input, { transport: 'cli' });
      if (!result.ok) throw new CommandFailed(result.error);
      // The router parsed the value with this procedure's output schema.
      return result.value as never;
    },
    async subscribe(name, input, onEvent): Promise<Disposable> {
      const { router } = await getServices();
      const result = router.subscribe(name, input, { transport: 'cli' }, (event) => onEvent(event as never));
      if (!result.ok) throw new CommandFailed(result.error);
      return result.value;
    },
    async open(name, input, onEvent, onEnd) {
      const { router } = await getServices();
      const result = router.subscribe(name, input, { transport: 'cli' }, (event) => onEvent(event as never), onEnd);
      if (!result.ok) throw new CommandFailed(result.error);
      const channel = result.value;
      return {
        send: (message) => void channel.send?.(message),
        close: async () => {
          await channel.dispose();
        },
      };
    },
    ...(rest.includes('--') ? { passthrough: rest.slice(rest.indexOf('--') + 1) } : {}),
  };

  try {
    const outcome = await command.run(ctx);
    if (typeof outcome === 'number') return outcome;
    if (json) io.stdout(`${JSON.stringify(outcome.value, null, 2)}\n`);
    else io.stdout(outcome.human);
    if (outcome.failure) {
      io.stderr(`error ${outcome.failure.code}: ${outcome.failure.message}\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      printError(io, json, 'INVALID_INPUT', error.message, error.hint);
      return EXIT_USAGE;
    }
    if (error instanceof CommandFailed) {
      const { mainLogFile } = await import('../util/main-log.js');
      printError(io, json, error.error.code, error.error.message.replace('the main log', mainLogFile(home)));
      return EXIT_FAILED;
    }
    const [{ toWire, isAppError }, { asStorageError }] = await Promise.all([
      import('../../shared/errors.js'),
      import('../util/storage-error.js'),
    ]);
    const wire = toWire(asStorageError(error) ?? error);
    // Only our own errors carry a message a person should read; the rest goes to the main log with its
    // cause, whatever the debug setting, and SLIPWAY_DEBUG also prints its stack here.
    if (!isAppError(error)) {
      const { createMainLog, mainLogFile } = await import('../util/main-log.js');
      createMainLog(home)(`slipway ${command.name} failed`, error);
      if (io.env.SLIPWAY_DEBUG)
        io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (wire.code === 'INTERNAL') {
        printError(io, json, wire.code, `${wire.message.replace('the main log', mainLogFile(home))}`);
        return EXIT_FAILED;
      }
    }
    printError(io, json, wire.code, wire.message);
    return EXIT_FAILED;
  } finally {
    if (services) await (await services.catch(() => undefined))?.dispose();
  }
}

async function resolveHomeLazily(env: NodeJS.ProcessEnv): Promise<string> {
  const { resolveHome } = await import('../workspace/home.js');
  return resolveHome(env);
}

function hintFor(word: string): string {
  const guess = closest(word.replace(/^-+/, ''), [...COMMANDS.map((c) => c.name), 'help']);
  return guess
    ? `Did you mean "slipway ${guess}"? Run \`slipway help\` to see every command.`
    : 'Run `slipway help` to see every command.';
}
