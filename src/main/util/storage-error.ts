// Disk trouble (full, not writable, read-only, damaged files) as a STORAGE error that names the file
// and what to do, instead of an INTERNAL that leaves the person guessing.
import { dirname } from 'node:path';
import { AppError, isAppError } from '../../shared/errors.js';

const errnoOf = (error: unknown): { code: string; path: string | undefined; syscall: unknown } | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  return typeof code === 'string' ? { code, path: typeof path === 'string' ? path : undefined, syscall } : undefined;
};

const HOME_FIX = 'or set SLIPWAY_HOME to a folder you can write';

/** The STORAGE error for a failed file operation, or undefined when `error` is not one. */
export function asStorageError(error: unknown): AppError | undefined {
  if (isAppError(error)) return undefined;
  const errno = errnoOf(error);
  if (!errno) return undefined;
  const file = errno.path ?? 'a workspace file';
  const message = ((): string | undefined => {
    switch (errno.code) {
      case 'ENOSPC':
      case 'EDQUOT':
        return `Could not write ${file}: the disk is full (${errno.code}). Free some space, then try again.`;
      case 'EACCES':
      case 'EPERM':
        return `Could not write ${file}: permission denied (${errno.code}). Make ${dirname(file)} writable by you, ${HOME_FIX}.`;
      case 'EROFS':
        return `Could not write ${file}: the filesystem is read-only (EROFS). Mount it writable, ${HOME_FIX}.`;
      case 'ENOTDIR':
        return `Could not use ${file}: part of its path is a file, not a folder (ENOTDIR). Move that file away, ${HOME_FIX}.`;
      case 'ENOENT':
        // Node's recursive mkdir answers ENOENT on a read-only filesystem.
        return errno.syscall === 'mkdir'
          ? `Could not create ${file} (ENOENT): its filesystem may be read-only or the folder above it gone. Make it writable, ${HOME_FIX}.`
          : undefined;
      case 'EMFILE':
      case 'ENFILE':
        return `Could not open ${file}: too many open files (${errno.code}). Close some programs, then try again.`;
      default:
        return undefined;
    }
  })();
  return message === undefined ? undefined : new AppError('STORAGE', message, { details: { file }, cause: error });
}

/** A file whose content is not what Slipway wrote (truncated, binary, edited by hand). */
export function damagedFile(file: string, cause: unknown, fix?: string): AppError {
  return new AppError(
    'STORAGE',
    `${file} is damaged (not the JSON Slipway wrote). ${fix ?? 'Move it away or restore it from a backup, then try again.'}`,
    { details: { file }, cause },
  );
}
