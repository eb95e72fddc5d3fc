// `slipway help` and `slipway COMMAND --help`.
import { COMMANDS, GLOBAL_OPTIONS } from './commands.js';
import { table } from './format.js';
import type { CommandSpec, OptionSpec } from './spec.js';

const optionLabel = (name: string, spec: OptionSpec): string =>
  `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;

export function usageLine(command: CommandSpec): string {
  const args = command.args.map((a) => (a.required ? a.name : `[${a.name}]`) + (a.variadic ? '…' : ''));
  const options = Object.entries(command.options).map(([name, spec]) => {
    const label = optionLabel(name, spec).replace(/^-\w, /, '');
    return spec.required ? label : `[${label}]`;
  });
  return ['slipway', command.name, ...args, ...options].join(' ');
}

export function commandHelp(command: CommandSpec): string {
  let text = `${command.summary}\n\nUsage: ${usageLine(command)}\n\nOptions:\n`;
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  text += table(
    [],
    Object.entries(options).map(([name, spec]) => [
      `  ${optionLabel(name, spec)}`,
      spec.help + (spec.required ? ' (required)' : ''),
    ]),
  );
  if (command.examples?.length) text += `\nExamples:\n${command.examples.map((e) => `  ${e}`).join('\n')}\n`;
  return text;
}

export function generalHelp(): string {
  return (
    'slipway: deploy, promote and roll back from the command line.\n\n' +
    'Usage: slipway COMMAND [ARGS] [--json]\n\nCommands:\n' +
    table([], [...COMMANDS.map((c) => [`  ${c.name}`, c.summary]), ['  help [COMMAND]', 'Show help.']]) +
    '\nEvery command takes --json (one JSON value on stdout) and --help.\n' +
    'The workspace is SLIPWAY_HOME, or the platform app-data folder.\n' +
    'Exit codes: 0 done, 1 the command failed, 2 the command line was wrong.\n'
  );
}
