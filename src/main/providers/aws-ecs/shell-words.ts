// The release command is one string in the pipeline; ECS wants argv. Plain commands are split the
// way a shell would; anything that needs a shell (pipes, &&, $VARS, redirects) runs under `sh -c`.
import { AppError } from '../../../shared/errors.js';

const NEEDS_SHELL = /[|&;<>()$`*?~#\n]/;

export function commandArgv(command: string): string[] {
  const trimmed = command.trim();
  if (trimmed === '') throw new AppError('INVALID_INPUT', 'The command is empty.');
  if (NEEDS_SHELL.test(stripQuoted(trimmed))) return ['sh', '-c', trimmed];
  return splitWords(trimmed);
}

/** Removes quoted sections so metacharacters inside quotes do not force a shell. */
function stripQuoted(text: string): string {
  return text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '');
}

export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text.charAt(i + 1))) word += text.charAt(++i);
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new AppError('INVALID_INPUT', `The command has an unclosed ${quote} quote.`);
  if (inWord) words.push(word);
  return words;
}
