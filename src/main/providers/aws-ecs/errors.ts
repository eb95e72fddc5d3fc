// Maps what the AWS SDK throws to AppErrors a person can act on. The original error rides along as
// `cause` for the main log; messages never carry credentials or secret values.
import { AppError } from '../../../shared/errors.js';

/** Socket-level failures: nothing reached AWS at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export interface CallSite {
  /** The IAM action of the call, e.g. `ecs:UpdateService`. */
  readonly action: string;
  /** What the call was about, as a person names it: `service web in cluster prod`. */
  readonly target?: string | undefined;
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const deniedNames = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

const expiredNames = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);

const notFoundNames = new Set([
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'ResourceNotFoundException',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'ServiceDeploymentNotFoundException',
  'TaskSetNotFoundException',
  'TargetNotFoundException',
]);

const throttleNames = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

/** A quota, not a rate: retrying later does not help, so say which limit AWS named. */
const quotaNames = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);

/** Validation errors from ECS: their message says what to fix in the definition or the service. */
const invalidNames = new Set([
  'ClientException',
  'InvalidParameterException',
  'ValidationException',
  'PlatformTaskDefinitionIncompatibilityException',
]);

const field = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A short, single-line excerpt of an AWS message (they may quote request fields, so keep them brief). */
function excerpt(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? '';
  return line.length > 240 ? `${line.slice(0, 237)}…` : line;
}

function loginCommand(profile: string | undefined): string {
  return profile === undefined ? '`aws sso login`' : `\`aws sso login --profile ${profile}\``;
}

function isSsoProblem(name: string, message: string): boolean {
  return name === 'TokenProviderError' || /\bsso\b/i.test(message);
}

export function toAppError(error: unknown, site: CallSite): AppError {
  if (error instanceof AppError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = field(e.name) || field(e.Code) || field(e.code);
  const message = field(e.message);
  const requestId = e.$metadata?.requestId;
  const details = requestId === undefined ? { action: site.action } : { action: site.action, requestId };
  const about = site.target === undefined ? '' : ` (${site.target})`;
  const profileWords = site.profile === undefined ? 'your default AWS credentials' : `AWS profile "${site.profile}"`;

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    if (isSsoProblem(name, message)) {
      return new AppError(
        'PROVIDER_DENIED',
        `The AWS SSO session for ${profileWords} has expired or is not signed in. Run ${loginCommand(site.profile)}, then try again.`,
        { cause: error, details },
      );
    }
    return new AppError(
      'PROVIDER_DENIED',
      `No AWS credentials could be loaded for ${profileWords}. Configure them (aws configure${site.profile === undefined ? '' : ` --profile ${site.profile}`}) or pick another profile.`,
      { cause: error, details },
    );
  }

  if (expiredNames.has(name)) {
    return new AppError(
      'PROVIDER_DENIED',
      `The AWS credentials for ${profileWords} have expired. Refresh them (for SSO: ${loginCommand(site.profile)}), then try again.`,
      { cause: error, details },
    );
  }

  // ECS reports a missing iam:PassRole on RegisterTaskDefinition as a ClientException with this wording.
  if (deniedNames.has(name) || e.$metadata?.httpStatusCode === 403 || /is not authorized to perform:/.test(message)) {
    // AWS names the exact action it refused when it can; otherwise it is the one we called.
    const action = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1] ?? site.action;
    return new AppError(
      'PROVIDER_DENIED',
      `AWS refused ${action}${about} for ${profileWords}. Ask an administrator to allow ${action} (docs/iam-policy.json lists every action Slipway needs).`,
      { cause: error, details: { ...details, action } },
    );
  }

  if (notFoundNames.has(name) || /not ?found|does not exist|unable to describe task definition/i.test(message)) {
    const what = site.target ?? 'the AWS resource';
    return new AppError(
      'NOT_FOUND',
      `AWS could not find ${what} in ${site.region ?? 'this region'}. Check the names in the environment's settings.`,
      {
        cause: error,
        details,
      },
    );
  }

  if (throttleNames.has(name)) {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      `AWS kept throttling ${site.action}${about} after several retries. Wait a minute, then try again.`,
      {
        cause: error,
        details,
      },
    );
  }

  if (quotaNames.has(name)) {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      `AWS refused ${site.action}${about}: an account limit was reached${message === '' ? '' : ` (${excerpt(message)})`}. Raise the quota or clean up, then try again.`,
      { cause: error, details },
    );
  }

  if (invalidNames.has(name) && message !== '') {
    return new AppError('PROVIDER_UNAVAILABLE', `AWS rejected ${site.action}${about}: ${excerpt(message)}`, {
      cause: error,
      details,
    });
  }

  const networkCode = (error as { code?: unknown }).code;
  if (typeof networkCode === 'string' && NETWORK_CODES.has(networkCode)) {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      `Slipway could not reach AWS for ${site.action}${about} (${networkCode}). Check your network, proxy or AWS_ENDPOINT_URL, then try again.`,
      { cause: error, details },
    );
  }

  return new AppError(
    'PROVIDER_UNAVAILABLE',
    `AWS did not complete ${site.action}${about}${name === '' || name === 'Error' ? '' : ` (${name})`}. Check your network or the AWS status page, then try again.`,
    { cause: error, details },
  );
}
