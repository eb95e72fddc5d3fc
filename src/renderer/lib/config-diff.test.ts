import { describe, expect, it } from 'vitest';
import type { PublicConfigVar } from '../../shared/model.js';
import { describeChange, planConfigChanges, rowsFromConfig, type ConfigRow } from './config-diff.js';

const server: PublicConfigVar[] = [
  { key: 'LOG_LEVEL', secret: false, value: 'info', hash: 'h1' },
  { key: 'API_TOKEN', secret: true, hash: 'h2' },
  { key: 'REGION', secret: false, value: 'eu', hash: 'h3' },
];

const edit = (rows: ConfigRow[], key: string, patch: Partial<ConfigRow>): ConfigRow[] =>
  rows.map((row) => (row.key === key ? { ...row, ...patch } : row));

const newRow = (id: string, key: string, value: string, secret = false): ConfigRow => ({
  id,
  key,
  value,
  secret,
  removed: false,
});

describe('planConfigChanges', () => {
  it('finds nothing to do in an untouched editor, secrets included', () => {
    const plan = planConfigChanges(rowsFromConfig(server));
    expect(plan).toEqual({ changes: [], sets: [], unsets: [], errors: {} });
  });

  it('lists added, changed and removed keys and the calls that make them', () => {
    let rows = rowsFromConfig(server);
    rows = edit(rows, 'LOG_LEVEL', { value: 'debug' });
    rows = edit(rows, 'REGION', { removed: true });
    rows = [...rows, newRow('n1', 'DATABASE_URL', 'postgres://db', true), newRow('n2', '', '')];
    const plan = planConfigChanges(rows);
    expect(plan.errors).toEqual({});
    expect(plan.sets).toEqual([
      { key: 'LOG_LEVEL', value: 'debug', secret: false },
      { key: 'DATABASE_URL', value: 'postgres://db', secret: true },
    ]);
    expect(plan.unsets).toEqual(['REGION']);
    expect(plan.changes.map(describeChange)).toEqual([
      'LOG_LEVEL: info → debug',
      'REGION removed',
      'DATABASE_URL added (secret)',
    ]);
  });

  it('never shows a secret value, old or new', () => {
    const rows = edit(rowsFromConfig(server), 'API_TOKEN', { value: 'tok-2' });
    const plan = planConfigChanges(rows);
    expect(plan.sets).toEqual([{ key: 'API_TOKEN', value: 'tok-2', secret: true }]);
    expect(plan.changes.map(describeChange)).toEqual(['API_TOKEN (secret changed)']);
    const madeSecret = planConfigChanges(edit(rowsFromConfig(server), 'LOG_LEVEL', { secret: true }));
    expect(madeSecret.changes.map(describeChange)).toEqual(['LOG_LEVEL (secret changed)']);
    expect(madeSecret.sets).toEqual([{ key: 'LOG_LEVEL', value: 'info', secret: true }]);
  });

  it('rejects keys the contract rejects, and duplicates', () => {
    const rows = [
      ...rowsFromConfig(server),
      newRow('bad', '9LIVES', 'x'),
      newRow('dup', 'LOG_LEVEL', 'warn'),
      newRow('nokey', '', 'orphan'),
    ];
    const plan = planConfigChanges(rows);
    expect(Object.keys(plan.errors).sort()).toEqual(['bad', 'dup', 'nokey']);
    expect(plan.errors.bad).toMatch(/does not start with a digit/);
    expect(plan.errors.dup).toMatch(/LOG_LEVEL appears twice/);
    expect(plan.sets).toEqual([]);
  });

  it('treats removing a key and adding it again as one change, with no unset', () => {
    const rows = [...edit(rowsFromConfig(server), 'REGION', { removed: true }), newRow('n', 'REGION', 'us')];
    const plan = planConfigChanges(rows);
    expect(plan.unsets).toEqual([]);
    expect(plan.sets).toEqual([{ key: 'REGION', value: 'us', secret: false }]);
    expect(plan.changes.map(describeChange)).toEqual(['REGION: eu → us']);
  });

  it('asks for the value before a secret becomes plain', () => {
    const plan = planConfigChanges(edit(rowsFromConfig(server), 'API_TOKEN', { secret: false }));
    expect(plan.errors['existing:API_TOKEN']).toMatch(/Enter the value of API_TOKEN/);
  });
});
