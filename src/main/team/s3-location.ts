// Where a team's objects live, and the error sentences every team object shares (no SDK import here:
// the CLI loads the S3 client only when a team workspace is used).
import type { TeamLocation } from '../../shared/contract/team.js';
import { AppError } from '../../shared/errors.js';

/** `prefix/` with exactly one trailing slash, or '' for the bucket's root. */
export const normalPrefix = (prefix: string | undefined): string =>
  prefix ? prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';

export const describeLocation = (location: TeamLocation): string =>
  `s3://${location.bucket}/${normalPrefix(location.prefix)}`;

export const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';

/** S3 answered 412: an `If-Match` or `If-None-Match: *` condition did not hold. */
export const isPreconditionFailed = (error: unknown): boolean =>
  errorName(error) === 'PreconditionFailed' ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;

export const isNoSuchKey = (error: unknown): boolean =>
  errorName(error) === 'NoSuchKey' ||
  errorName(error) === 'NotFound' ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

export function teamStoreError(action: string, bucket: string, error: unknown): AppError {
  const name = errorName(error);
  if (name === 'AccessDenied' || name === 'Forbidden' || name === 'InvalidAccessKeyId') {
    return new AppError(
      'PROVIDER_DENIED',
      `Access to the team bucket ${bucket} was denied (s3:${action}). Ask for the team policy in docs/iam-policy.json.`,
      { cause: error },
    );
  }
  if (name === 'NoSuchBucket') {
    return new AppError('NOT_FOUND', `The team bucket ${bucket} does not exist. Create it or check the name.`, {
      cause: error,
    });
  }
  return new AppError(
    'PROVIDER_UNAVAILABLE',
    `The team bucket ${bucket} could not be reached (s3:${action}). Check the network and try again.`,
    { cause: error },
  );
}
