// `slipway team`, `team:join`, `team:leave`: share pipelines, settings, activity and deploy leases
// through a team's S3 bucket.
import type { TeamLocation } from '../../shared/contract/team.js';
import { readTeamFile, writeTeamFile } from '../team/team-file.js';
import { relativeTime, table } from './format.js';
import { str } from './commands-read.js';
import { UsageError, type CommandSpec } from './spec.js';

export function parseTeamLocation(
  location: string,
  region: string | undefined,
  profile: string | undefined,
): TeamLocation {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(location);
  if (!match)
    throw new UsageError(
      `"${location}" is not an S3 location.`,
      'Give s3://BUCKET/PREFIX, e.g. s3://acme-ops/slipway.',
    );
  const resolvedRegion = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!resolvedRegion)
    throw new UsageError('A team workspace needs the bucket region.', 'Add --region, e.g. --region eu-west-1.');
  const prefix = match[2]?.replace(/\/+$/, '');
  return {
    bucket: match[1]!,
    ...(prefix ? { prefix } : {}),
    region: resolvedRegion,
    ...(profile ? { profile } : {}),
  };
}

export const team: CommandSpec = {
  name: 'team',
  summary: 'Which workspace this is (team or local), events waiting to upload, deploy leases held.',
  args: [],
  options: {},
  async run(ctx) {
    const value = await ctx.call('team.status', {});
    let human = value.team
      ? `Team workspace ${value.description}\n`
      : `This machine's own workspace (${value.description}).\n`;
    if (value.spooled > 0) human += `${value.spooled} activity event(s) waiting to upload.\n`;
    if (value.leases.length > 0) {
      const now = ctx.io.now();
      human += table(
        ['ENVIRONMENT', 'DEPLOYING', 'BY', 'STARTED', 'WAITING'],
        value.leases.map((l) => [
          `${l.pipeline}/${l.environment}`,
          l.holder.summary,
          l.holder.actor.user,
          relativeTime(l.holder.startedAt, now),
          l.waiting.map((w) => `${w.actor.user}: ${w.summary}`).join('; ') || '—',
        ]),
      );
    } else if (value.team) {
      human += 'Nobody is deploying right now.\n';
    }
    return { value, human };
  },
};

export const teamJoin: CommandSpec = {
  name: 'team:join',
  summary: "Use a team's workspace in S3: pipelines, settings, activity and deploy leases are shared there.",
  args: [{ name: 's3://BUCKET/PREFIX', required: true }],
  options: {
    region: { type: 'string', value: 'REGION', help: 'The bucket region (default: AWS_REGION).' },
    profile: { type: 'string', value: 'PROFILE', help: 'The AWS profile to use (default: the standard chain).' },
  },
  examples: [
    'slipway team:join s3://acme-ops/slipway --region eu-west-1',
    'slipway team:join s3://acme-ops/slipway --profile ops',
  ],
  async run(ctx) {
    const location = parseTeamLocation(ctx.args[0]!, str(ctx.opts, 'region'), str(ctx.opts, 'profile'));
    const value = await ctx.call('team.join', location);
    const count = value.pipelines === 1 ? '1 pipeline' : `${value.pipelines} pipelines`;
    return {
      value,
      human: `Joined the team workspace ${value.description} (${count}). A running Slipway window picks it up when it restarts; \`slipway team:leave\` goes back.\n`,
    };
  },
};

export const teamLeave: CommandSpec = {
  name: 'team:leave',
  summary: "Go back to this machine's own workspace (the team's bucket is left as it is).",
  args: [],
  options: {},
  examples: ['slipway team:leave'],
  async run(ctx) {
    // An unreadable team setting would stop Slipway from opening at all; leaving must still work.
    const readable = await readTeamFile(ctx.home).then(
      () => true,
      () => false,
    );
    if (!readable) {
      await writeTeamFile(ctx.home, undefined);
      return { value: { description: ctx.home }, human: "Back to this machine's own workspace.\n" };
    }
    const value = await ctx.call('team.leave', {});
    return { value, human: `Back to this machine's own workspace (${value.description}).\n` };
  },
};
