import { describe, expect, it } from 'vitest';
import { parseAssignments, parseVersion, closest } from './args.js';
import { relativeTime, shortSha, table, versionLabel } from './format.js';
import { ProgressPrinter } from './progress.js';
import { UsageError } from './spec.js';

const NOW = Date.parse('2030-01-01T12:00:00Z');

describe('formatting', () => {
  it('speaks in vN, short SHAs and relative times', () => {
    expect(versionLabel(3)).toBe('v3');
    expect(versionLabel(undefined)).toBe('—');
    expect(shortSha('1a2b3c4d5e6f')).toBe('1a2b3c4');
    expect(relativeTime('2030-01-01T11:59:50Z', NOW)).toBe('just now');
    expect(relativeTime('2030-01-01T11:55:00Z', NOW)).toBe('5m ago');
    expect(relativeTime('2030-01-01T09:00:00Z', NOW)).toBe('3h ago');
    expect(relativeTime('2029-12-29T12:00:00Z', NOW)).toBe('3d ago');
    expect(relativeTime('2029-06-01T12:00:00Z', NOW)).toBe('2029-06-01');
    expect(relativeTime('2030-01-01T12:10:00Z', NOW)).toBe('in 10m');
  });

  it('aligns table columns without trailing spaces', () => {
    expect(
      table(
        ['NAME', 'RELEASE', 'NOTE'],
        [
          ['staging', 'v12', ''],
          ['production', 'v3', 'current'],
        ],
      ),
    ).toBe('NAME        RELEASE  NOTE\nstaging     v12\nproduction  v3       current\n');
  });
});

describe('argument parsing', () => {
  it('reads versions as vN or N', () => {
    expect(parseVersion('v3')).toBe(3);
    expect(parseVersion('12')).toBe(12);
    for (const bad of ['v0', 'three', 'v-1', 'v3.1', '']) expect(() => parseVersion(bad)).toThrow(UsageError);
  });

  it('reads KEY=VALUE pairs, values may hold = or be empty', () => {
    expect(parseAssignments(['A=1', 'URL=postgres://x?a=b', 'EMPTY='])).toEqual([
      { key: 'A', value: '1' },
      { key: 'URL', value: 'postgres://x?a=b' },
      { key: 'EMPTY', value: '' },
    ]);
    expect(() => parseAssignments(['=1'])).toThrow('Argument 1 is not KEY=VALUE');
    // A value typed without its KEY= may be a secret: the message does not repeat it.
    expect(() => parseAssignments(['A=1', 'hunter2'])).toThrow(/^Argument 2 is not KEY=VALUE\.$/);
    expect(() => parseAssignments(['1BAD-KEY=x'])).toThrow('"1BAD-KEY" is not a config key: a config key uses letters');
    expect(() => parseAssignments(['A=1', 'A=2'])).toThrow('twice');
    expect(() => parseAssignments([])).toThrow('at least one');
  });

  it('suggests what was probably meant', () => {
    expect(closest('deplyo', ['deploy', 'promote'])).toBe('deploy');
    expect(closest('xyzzy', ['deploy', 'promote'])).toBeUndefined();
  });
});

describe('progress', () => {
  it('prints each step once as it starts and finishes, with its output lines', () => {
    let text = '';
    const printer = new ProgressPrinter((t) => (text += t));
    const base = {
      id: 'd1',
      pipeline: 'shop',
      environment: 'staging',
      kind: 'deploy' as const,
      summary: 'Deploy main to staging',
      actor: { user: 'ada' },
      queuedAt: '2030-01-01T00:00:00Z',
    };
    const at = '2030-01-01T00:00:01Z';
    printer.update({ ...base, status: 'running', steps: [{ name: 'Build', status: 'running', at }] });
    printer.update({
      ...base,
      status: 'running',
      steps: [{ name: 'Build', status: 'running', at, output: ['npm ci'] }],
    });
    printer.update({
      ...base,
      status: 'running',
      steps: [
        { name: 'Build', status: 'succeeded', at, output: ['npm ci', 'done'] },
        { name: 'Release phase', status: 'running', at, output: ['migrating'] },
      ],
    });
    printer.update({
      ...base,
      status: 'failed',
      steps: [
        { name: 'Build', status: 'succeeded', at, output: ['npm ci', 'done'] },
        { name: 'Release phase', status: 'failed', message: 'exit code 1', at, output: ['migrating'] },
      ],
    });
    expect(text).toBe(
      [
        'Deploy main to staging',
        '→ Build',
        '    npm ci',
        '    done',
        '✓ Build',
        '→ Release phase',
        '    migrating',
        '✗ Release phase: exit code 1',
        '',
      ].join('\n'),
    );
  });
});
