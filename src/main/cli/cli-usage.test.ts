// The command line itself: help, version, usage errors. None of these touch a workspace.
import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { recordingIo } from './test-io.js';

describe('slipway command line', () => {
  it('prints the version', async () => {
    const io = recordingIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('lists every command in help, and helps per command', async () => {
    const io = recordingIo();
    expect(await main(['help'], io)).toBe(0);
    for (const name of [
      'pipelines',
      'status',
      'deploy',
      'promote',
      'rollback',
      'releases:no-rollback',
      'config:set',
      'serve',
    ]) {
      expect(io.out()).toContain(`  ${name}`);
    }
    const one = recordingIo();
    expect(await main(['deploy', '--help'], one)).toBe(0);
    expect(one.out()).toContain('Usage: slipway deploy PIPELINE --env ENV --ref GITREF [--no-rollback REASON]');
    const viaHelp = recordingIo();
    expect(await main(['help', 'deploy'], viaHelp)).toBe(0);
    expect(viaHelp.out()).toBe(one.out());
  });

  it('refuses an unknown command with exit code 2 and a hint', async () => {
    const io = recordingIo();
    expect(await main(['deplyo', 'shop'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('error INVALID_INPUT: There is no command "deplyo".');
    expect(io.err()).toContain('Did you mean "slipway deploy"?');
  });

  it('refuses an unknown flag, suggesting the right one', async () => {
    const io = recordingIo();
    expect(await main(['releases', 'shop', '--envv', 'staging'], io)).toBe(2);
    expect(io.err()).toContain('releases has no option --envv');
    expect(io.err()).toContain('Did you mean --env?');
  });

  it('names a missing required option or argument', async () => {
    const io = recordingIo();
    expect(await main(['deploy', 'shop', '--env', 'staging'], io)).toBe(2);
    expect(io.err()).toContain('deploy needs --ref GITREF.');
    const io2 = recordingIo();
    expect(await main(['status'], io2)).toBe(2);
    expect(io2.err()).toContain('status needs PIPELINE.');
    const io3 = recordingIo();
    expect(await main(['status', 'shop', 'extra'], io3)).toBe(2);
    expect(io3.err()).toContain('Unexpected argument "extra"');
    const io4 = recordingIo();
    expect(await main(['deploy', 'shop', '--env'], io4)).toBe(2);
    expect(io4.err()).toContain('--env needs a value');
  });

  it('in --json mode prints the error envelope on stdout and nothing else', async () => {
    const io = recordingIo();
    expect(await main(['rollback', 'shop', '--env', 'production', '--to', 'latest', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: '"latest" is not a release; write it as v3 (or 3).' },
    });
  });

  it('will not promote unasked without a terminal', async () => {
    const io = recordingIo({ interactive: false });
    expect(await main(['promote', 'shop', '--from', 'staging', '--to', 'production'], io)).toBe(2);
    expect(io.err()).toContain('Pass --yes');
  });
});
