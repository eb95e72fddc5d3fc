// `config:set KEY --secret` takes the value from a hidden prompt, stdin or --from-file, so a secret
// never has to be typed into a command line (and the shell's history).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretAssignments } from './secret-input.js';
import { UsageError } from './spec.js';
import { recordingIo } from './test-io.js';

describe('secret values off the command line', () => {
  it('reads a bare KEY from the hidden prompt (or stdin), never echoing it', async () => {
    const io = recordingIo({ answers: ['s3cr3t-value'] });
    expect(await secretAssignments(['STRIPE_KEY'], undefined, io)).toEqual([
      { key: 'STRIPE_KEY', value: 's3cr3t-value' },
    ]);
    expect(io.questions).toEqual(['Value of STRIPE_KEY (not shown): ']);
    expect(io.out() + io.err()).not.toContain('s3cr3t-value');
  });

  it('reads --from-file without its last newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-secret-'));
    try {
      await writeFile(join(dir, 'key'), 'from-file-value\n');
      expect(await secretAssignments(['API_KEY'], join(dir, 'key'), recordingIo())).toEqual([
        { key: 'API_KEY', value: 'from-file-value' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an empty answer, and --from-file with more than one key', async () => {
    await expect(secretAssignments(['A'], undefined, recordingIo({ answers: [''] }))).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(secretAssignments(['A', 'B'], '/dev/null', recordingIo())).rejects.toThrow(/one KEY/);
  });

  it('keeps KEY=VALUE working as before', async () => {
    expect(await secretAssignments(['A=1'], undefined, recordingIo())).toEqual([{ key: 'A', value: '1' }]);
  });
});
