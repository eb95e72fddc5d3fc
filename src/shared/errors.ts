// The closed set of error codes that may cross the process boundary, and the envelope that carries them.
import { z } from 'zod';

export const errorCodes = [
  'NOT_FOUND',
  'INVALID_INPUT',
  'CONFLICT',
  'NO_ROLLBACK',
  'PROVIDER_DENIED',
  'PROVIDER_UNAVAILABLE',
  'RELEASE_PHASE_FAILED',
  'DEPLOY_FAILED',
  'UNAUTHORIZED',
  /** A file of the workspace cannot be read or written (disk full, no permission, damaged): the message names it. */
  'STORAGE',
  'INTERNAL',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  /** A sentence a person can act on: what was wrong and what to do. */
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** An error our own code raises on purpose; anything else is reported as INTERNAL without its text. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Only AppError text crosses the boundary; other errors may carry paths, stacks or secrets. */
export function toWire(error: unknown): WireError {
  if (isAppError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'INTERNAL', message: 'Something went wrong inside Slipway. The details are in the main log.' };
}

export function fromWire(error: WireError): AppError {
  return new AppError(error.code, error.message, error.details === undefined ? undefined : { details: error.details });
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: unknown): Result<never> => ({ ok: false, error: toWire(error) });
