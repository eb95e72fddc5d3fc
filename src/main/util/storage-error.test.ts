// A file the workspace cannot write or read is named in a sentence that says what to do, never INTERNAL.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { asStorageError, damagedFile } from './storage-error.js';

const errno = (code: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: failed, open '${path}'`), { code, path, syscall: 'open' });

describe('storage errors', () => {
  it('names the file and the fix for a full disk, a refused write and a read-only filesystem', () => {
    const full = asStorageError(errno('ENOSPC', '/h/deployments/x.json'));
    expect(full).toBeInstanceOf(AppError);
    expect(full?.code).toBe('STORAGE');
    expect(full?.message).toMatch(/\/h\/deployments\/x\.json.*full.*[Ff]ree/);
    expect(asStorageError(errno('EACCES', '/h/workspace.json'))?.message).toMatch(/\/h\/workspace\.json.*SLIPWAY_HOME/);
    expect(asStorageError(errno('EROFS', '/h/a'))?.message).toMatch(/read-only.*SLIPWAY_HOME/);
    const mkdirOnReadOnly = Object.assign(errno('ENOENT', '/h/local'), { syscall: 'mkdir' });
    expect(asStorageError(mkdirOnReadOnly)?.message).toMatch(/\/h\/local.*read-only/);
    expect(asStorageError(errno('ENOENT', '/h/x'))).toBeUndefined();
  });

  it('keeps the original as the cause and leaves other errors alone', () => {
    const original = errno('ENOSPC', '/h/x');
    expect(asStorageError(original)?.cause).toBe(original);
    expect(asStorageError(new Error('boom'))).toBeUndefined();
    expect(asStorageError(new AppError('NOT_FOUND', 'x'))).toBeUndefined();
  });

  it('says what to do with a damaged file', () => {
    const error = damagedFile('/h/workspace.json', new SyntaxError('Unexpected end of JSON input'));
    expect(error.code).toBe('STORAGE');
    expect(error.message).toMatch(/\/h\/workspace\.json is damaged.*[Mm]ove it/);
  });
});
