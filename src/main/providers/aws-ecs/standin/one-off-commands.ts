// What a one-off task "does" in the stand-in: a tiny reading of its command, enough for `slipway run`
// and the release phase to show real exit codes and output. `echo` prints, `exit N` and `false` end
// with their code; anything else is reported as run and succeeds.
import type { RunBehaviour } from '../testing/fake-ecs-model.js';

const unquote = (word: string): string => word.replace(/^(['"])(.*)\1$/, '$2');

export function simulateCommand(command: readonly string[] | undefined): RunBehaviour {
  if (command === undefined || command.length === 0) return { exitCode: 0, output: [] };
  const script = command[0] === 'sh' && command[1] === '-c' ? (command[2] ?? '') : command.join(' ');
  const output: string[] = [];
  for (const part of script.split(/\s*(?:&&|;|\n)\s*/)) {
    const words = part.trim().split(/\s+/).filter(Boolean).map(unquote);
    const [name, ...rest] = words;
    if (name === undefined || name === 'true') continue;
    if (name === 'echo') output.push(rest.join(' '));
    else if (name === 'false') return { exitCode: 1, output };
    else if (name === 'exit') {
      const code = Number(rest[0] ?? '0');
      return { exitCode: Number.isInteger(code) ? code & 0xff : 2, output };
    } else output.push(`ran ${words.join(' ')}`);
  }
  return { exitCode: 0, output };
}
