// `slipway activity:store`: keep the activity feed in this machine's folder or a team's S3 bucket.
import type { ActivityStoreSetting } from '../../shared/model.js';
import { UsageError, type CommandSpec } from './spec.js';

function parseLocation(
  location: string,
  region: string | undefined,
  profile: string | undefined,
): ActivityStoreSetting {
  if (location === 'folder') return { kind: 'folder' };
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(location);
  if (!match)
    throw new UsageError(`"${location}" is not a place for the feed.`, 'Give `folder` or `s3://BUCKET[/PREFIX]`.');
  const resolvedRegion = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!resolvedRegion) throw new UsageError('An S3 feed needs a region.', 'Add --region, e.g. --region eu-west-1.');
  return {
    kind: 's3',
    bucket: match[1]!,
    ...(match[2] ? { prefix: match[2] } : {}),
    region: resolvedRegion,
    ...(profile ? { profile } : {}),
  };
}

export const activityStore: CommandSpec = {
  name: 'activity:store',
  summary: "Keep the workspace's activity feed in a local folder or a team's S3 bucket.",
  args: [{ name: 'folder|s3://BUCKET[/PREFIX]', required: true }],
  options: {
    region: { type: 'string', value: 'REGION', help: 'The bucket region (default: AWS_REGION).' },
    profile: { type: 'string', value: 'PROFILE', help: 'The AWS profile to write with (default: the standard chain).' },
  },
  examples: ['slipway activity:store s3://acme-ops/slipway --region eu-west-1', 'slipway activity:store folder'],
  async run(ctx) {
    const region = typeof ctx.opts.region === 'string' ? ctx.opts.region : undefined;
    const profile = typeof ctx.opts.profile === 'string' ? ctx.opts.profile : undefined;
    const value = await ctx.call('activity.setStore', parseLocation(ctx.args[0]!, region, profile));
    const restart = value.restartNeeded ? ' A running Slipway window picks it up when it restarts.' : '';
    return { value, human: `The activity feed is now kept in ${value.description}.${restart}\n` };
  },
};
