// The AWS Session Manager plugin, run the way the AWS CLI runs it for `ecs execute-command`: seven
// argv entries (the program, the session response, region, "StartSession", profile, the request
// parameters, the endpoint). The session response, which holds the stream token, travels in an
// environment variable whose NAME is argv[1] (as `aws ssm start-session` does for plugins newer than
// 1.2.497.0), so the token never shows in `ps`.
import { execFile } from 'node:child_process';
import { AppError } from '../../../../shared/errors.js';

export const PLUGIN = 'session-manager-plugin';
export const SESSION_RESPONSE_ENV = 'AWS_SSM_START_SESSION_RESPONSE';
/** The last plugin version that cannot read the response from the environment (AWS CLI's own check). */
const LAST_VERSION_WITHOUT_ENV = [1, 2, 497, 0];

const INSTALL: Readonly<Record<string, string>> = {
  darwin: 'brew install --cask session-manager-plugin',
  linux:
    'on Debian/Ubuntu install the session-manager-plugin .deb, on Amazon Linux/RHEL the .rpm, from the AWS Session Manager plugin download page',
  win32: 'run SessionManagerPluginSetup.exe from the AWS Session Manager plugin download page',
};

const installHint = (platform: NodeJS.Platform): string =>
  `Install it (${INSTALL[platform] ?? 'see "Install the Session Manager plugin for the AWS CLI" in the AWS Systems Manager docs'}), make sure \`${PLUGIN}\` is on PATH, then open the shell again.`;

/** Newer than 1.2.497.0, compared part by part as the AWS CLI does. */
export function readsResponseFromEnv(version: string): boolean {
  const clean = version.replace(/\s+/g, '');
  if (!/^\d+(\.\d+){0,3}$/.test(clean)) return false;
  const parts = clean.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const a = parts[i] ?? 0;
    const b = LAST_VERSION_WITHOUT_ENV[i] ?? 0;
    if (a !== b) return a > b;
  }
  return false;
}

/** Checks the plugin is there and new enough, before any session is started in AWS. */
export async function checkPlugin(platform: NodeJS.Platform = process.platform): Promise<string> {
  const version = await new Promise<string>((resolve, reject) => {
    execFile(PLUGIN, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new AppError('NOT_FOUND', `The AWS Session Manager plugin is not installed. ${installHint(platform)}`, {
        details: { fix: 'install-session-manager-plugin' },
        cause: error,
      });
    }
    throw new AppError('PROVIDER_UNAVAILABLE', `\`${PLUGIN} --version\` failed: ${error.message}`, { cause: error });
  });
  if (!readsResponseFromEnv(version)) {
    throw new AppError(
      'INVALID_INPUT',
      `The Session Manager plugin ${version || '(unknown version)'} is too old: it would need the session token on its command line, where any process can read it. Update it to a version newer than 1.2.497.0. ${installHint(platform)}`,
      { details: { fix: 'install-session-manager-plugin' } },
    );
  }
  return version;
}

export interface PluginLaunch {
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

/** argv (after the program name) and the extra environment, exactly as the AWS CLI builds them. */
export function pluginLaunch(options: {
  readonly session: { sessionId?: string; streamUrl?: string; tokenValue?: string };
  readonly region: string;
  readonly profile?: string | undefined;
  readonly target: string;
  readonly endpoint: string;
}): PluginLaunch {
  const response = JSON.stringify({
    SessionId: options.session.sessionId,
    StreamUrl: options.session.streamUrl,
    TokenValue: options.session.tokenValue,
  });
  return {
    args: [
      SESSION_RESPONSE_ENV,
      options.region,
      'StartSession',
      options.profile ?? '',
      JSON.stringify({ Target: options.target }),
      options.endpoint,
    ],
    env: { [SESSION_RESPONSE_ENV]: response },
  };
}

/** The ECS endpoint the plugin is told about (the AWS CLI passes its ECS client's endpoint). */
export function ecsEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AWS_ENDPOINT_URL_ECS ?? env.AWS_ENDPOINT_URL;
  if (configured) return configured;
  return `https://ecs.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}
