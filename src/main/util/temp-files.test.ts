import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeOrphanTemps, tempSuffix } from './temp-files.js';
import { deadPid } from './testing/dead-pid.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-temps-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('temp files', () => {
  it('removes a temp whose writer was killed mid-write, and keeps those of running writers', async () => {
    const killed = `.event.json.${deadPid()}.0123456789ab.tmp`;
    const running = `.event.json.${process.ppid}.0123456789ab.tmp`;
    const ours = `.event.json${tempSuffix()}`;
    for (const name of [killed, running, ours, 'event.json']) await writeFile(join(dir, name), '{');
    await removeOrphanTemps([dir, join(dir, 'missing')]);
    expect((await readdir(dir)).sort()).toEqual([running, ours, 'event.json'].sort());
  });
});
