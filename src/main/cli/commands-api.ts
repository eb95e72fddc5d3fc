// `slipway api`: where the local API of this workspace listens and how to authenticate, for curl and scripts.
import { CALL_PATH } from '../../shared/contract/bridge.js';
import { readServerFile, serverFilePath } from '../transports/server-file.js';
import { OPENAPI_PATH } from '../transports/openapi-path.js';
import { CommandFailed, type CommandSpec } from './spec.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const api: CommandSpec = {
  name: 'api',
  summary: 'Where the local API of this workspace listens, and how to authenticate (the window or `serve` must run).',
  args: [],
  options: {},
  examples: [
    'slipway api',
    'curl -s -H "Authorization: Bearer $(jq -r .token "$(slipway api --json | jq -r .tokenFile)")" …',
  ],
  async run(ctx) {
    const server = await readServerFile(ctx.home);
    if (!server || !alive(server.pid)) {
      throw new CommandFailed({
        code: 'NOT_FOUND',
        message:
          'No Slipway is serving this workspace right now. Open the window or run `slipway serve`, then ask again.',
      });
    }
    const tokenFile = serverFilePath(ctx.home);
    const value = {
      baseUrl: server.origin,
      callUrl: `${server.origin}${CALL_PATH}/<procedure>`,
      openapi: `${server.origin}${OPENAPI_PATH}`,
      tokenFile,
      by: server.by,
    };
    const human =
      `The local API listens at ${server.origin} (${server.by === 'app' ? 'the window' : 'slipway serve'}, pid ${server.pid}).\n` +
      `Call a procedure:  POST ${value.callUrl} with a JSON body\n` +
      `Authenticate:      Authorization: Bearer <token>, the "token" of ${tokenFile} (new at every launch)\n` +
      `Describe it:       GET ${value.openapi} (same token); docs/api.md lists every procedure\n\n` +
      `  TOKEN=$(jq -r .token '${tokenFile}')\n` +
      `  curl -s -H "Authorization: Bearer $TOKEN" -d '{}' ${server.origin}${CALL_PATH}/pipelines.list\n`;
    return { value, human };
  },
};
