// Commands that change things: deploy, promote, rollback, no-rollback marks, config changes.
// Each deployment streams its progress to stderr while it runs.
import { secretAssignments } from './secret-input.js';
import type { PromotePreview } from '../../shared/contract/index.js';
import type { Deployment } from '../../shared/model.js';
import { parseAssignments, parseVersion } from './args.js';
import { ENV_OPTION, PIPELINE, need, str } from './commands-read.js';
import { oneLine, relativeTime, shortSha, versionLabel } from './format.js';
import { ProgressPrinter } from './progress.js';
import { CommandFailed, UsageError, type CommandContext, type CommandResult, type CommandSpec } from './spec.js';

const REASON_OPTION = {
  type: 'string',
  value: 'REASON',
  help: 'Mark the new release no-rollback (e.g. a backwards-incompatible migration).',
} as const;

const POLL_MS = 2_000;

const finished = (d: Deployment): boolean => d.status === 'succeeded' || d.status === 'failed';

/** Runs one deployment-making call with progress on stderr, and waits for the deployment to finish. */
async function withProgress(
  ctx: CommandContext,
  where: { pipeline: string; environment: string },
  start: () => Promise<Deployment>,
): Promise<CommandResult> {
  const printer = new ProgressPrinter(ctx.io.stderr);
  let ours: string | undefined;
  let latest: Deployment | undefined;
  let wake: (() => void) | undefined;
  const stop = interruptToAbort(ctx, where);
  const subscription = await ctx.subscribe('deployments.watch', { pipeline: where.pipeline, here: true }, (d) => {
    // Before the call returns we do not know the id; this process only runs our deployment there.
    if (d.environment !== where.environment || (ours !== undefined && d.id !== ours)) return;
    printer.update(d);
    if (ours === undefined || d.id === ours) latest = d;
    stop.onDidChange(d);
    wake?.();
  });
  try {
    let deployment: Deployment;
    try {
      deployment = await start();
    } catch (error) {
      // Aborted with Ctrl-C: the deployment that ended is the answer, not the error it ended with.
      const aborted = await stop.outcome();
      if (aborted) {
        printer.update(aborted);
        return describe(aborted);
      }
      throw error;
    }
    ours = deployment.id;
    if (latest?.id === ours && finished(latest)) deployment = latest;
    while (!finished(deployment)) {
      // Events normally wake us; the list is a fallback should one be missed.
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, POLL_MS);
      });
      clearTimeout(timer);
      if (latest?.id === ours && latest !== deployment) deployment = latest;
      else {
        const listed = (await ctx.call('deployments.list', where)).find((d) => d.id === ours);
        if (listed) deployment = listed;
      }
    }
    printer.update(deployment);
    return describe(deployment);
  } finally {
    stop.dispose();
    await subscription.dispose();
  }
}

/**
 * Ctrl-C (or SIGTERM) while a deployment runs asks the router to abort it, so the rollout stops the way
 * the window's Abort button stops it (what was serving keeps serving) instead of the process dying
 * mid-rollout. A second Ctrl-C exits at once.
 */
function interruptToAbort(ctx: CommandContext, where: { pipeline: string; environment: string }) {
  const done = new AbortController();
  let requested = false;
  let attempt: Promise<Deployment | undefined> | undefined;
  let result: Deployment | undefined;

  const tryAbort = (): void => {
    if (attempt) return;
    attempt = ctx.call('deployments.abort', where).then(
      (deployment) => (result = deployment),
      (error: unknown) => {
        // CONFLICT: not running yet (it is tried again once it runs) or already finished.
        if (!(error instanceof CommandFailed && error.error.code === 'CONFLICT')) {
          ctx.io.stderr(`Could not abort: ${error instanceof Error ? error.message : String(error)}\n`);
        }
        attempt = undefined;
        return undefined;
      },
    );
  };

  void ctx.io.untilStopped(done.signal).then((why) => {
    if (why === 'abort') return;
    requested = true;
    ctx.io.stderr(
      `Aborting the deploy to ${where.pipeline}/${where.environment}; what was serving keeps serving. Press Ctrl-C again to quit at once.\n`,
    );
    tryAbort();
  });

  return {
    onDidChange(deployment: Deployment): void {
      if (requested && !result && deployment.status === 'running') tryAbort();
    },
    /** The deployment the abort ended, when one was asked for and it took. */
    async outcome(): Promise<Deployment | undefined> {
      if (!requested) return undefined;
      return (await attempt) ?? result;
    },
    dispose(): void {
      done.abort();
    },
  };
}

async function describe(d: Deployment): Promise<CommandResult> {
  if (d.status === 'failed') {
    // Loaded here so `slipway help` never pays for zod.
    const { errorCodeSchema } = await import('../../shared/errors.js');
    const code = errorCodeSchema.safeParse(d.error?.code);
    return {
      value: d,
      human: '',
      failure: {
        code: code.success ? code.data : 'DEPLOY_FAILED',
        message: d.error?.message ?? `${d.summary} failed; what was running keeps running.`,
      },
    };
  }
  const was = d.previousVersion === undefined ? '' : ` (was ${versionLabel(d.previousVersion)})`;
  return { value: d, human: `${versionLabel(d.releaseVersion)} is live on ${d.pipeline}/${d.environment}${was}.\n` };
}

export const deploy: CommandSpec = {
  name: 'deploy',
  summary: 'Build (once per commit) and deploy a git ref, or on ECS an image, to an environment.',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    ref: { type: 'string', value: 'GITREF', help: 'A branch, tag or commit.', required: true, or: 'image' },
    'no-rollback': REASON_OPTION,
    image: {
      type: 'string',
      value: 'IMAGE',
      help: 'ECS pipelines: the image to deploy (repo:tag or repo@sha256:…), instead of --ref.',
    },
  },
  examples: [
    'slipway deploy shop --env staging --ref main',
    'slipway deploy shop --env staging --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:v1.4.0',
  ],
  run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const noRollback = str(ctx.opts, 'no-rollback');
    return withProgress(ctx, { pipeline, environment }, () =>
      ctx.call('deploy', {
        pipeline,
        environment,
        // Required options are checked first: exactly one of --ref and --image is here.
        ref: str(ctx.opts, 'ref') ?? need(ctx.opts, 'image'),
        ...(noRollback ? { noRollbackReason: noRollback } : {}),
      }),
    );
  },
};

export const deployAbort: CommandSpec = {
  name: 'deploy:abort',
  summary: 'Abort a deploy that this same Slipway process runs; what was serving keeps serving.',
  args: [PIPELINE],
  options: {
    env: {
      ...ENV_OPTION,
      help:
        'The environment, e.g. staging. Each `slipway` command is its own process and sees only its own deploys, ' +
        'so from another terminal this finds nothing to abort. Stop a `slipway deploy`, promote, rollback or ' +
        "config:set with Ctrl-C in its terminal; stop the window's or `slipway serve`'s deploys with Abort deploy.",
    },
  },
  examples: ['slipway deploy:abort shop --env staging'],
  async run(ctx) {
    const aborted = await ctx.call('deployments.abort', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
    });
    const message = aborted.error?.message ?? `${aborted.summary} was aborted.`;
    return { value: aborted, human: `${message}\n` };
  },
};

function previewText(preview: PromotePreview, now: number): string {
  const side = (s: PromotePreview['from']): string =>
    s.release
      ? `${s.environment} ${versionLabel(s.release.version)} (${shortSha(s.release.sha)})`
      : `${s.environment} (nothing released)`;
  let text = `Promote ${side(preview.from)} → ${side(preview.to)}\n`;
  if (preview.commits.length > 0) {
    text += `${preview.commits.length} commit${preview.commits.length === 1 ? '' : 's'}:\n`;
    for (const c of preview.commits.slice(0, 20)) {
      text += `  ${c.shortSha}  ${oneLine(c.subject, 70)}  (${c.author}, ${relativeTime(c.date, now)})\n`;
    }
    if (preview.commits.length > 20) text += `  … and ${preview.commits.length - 20} more\n`;
  }
  if (preview.compareUrl) text += `Compare: ${preview.compareUrl}\n`;
  if (preview.note) text += `Note: ${preview.note}\n`;
  return text;
}

export const promote: CommandSpec = {
  name: 'promote',
  summary: "Ship one environment's build to the next with that environment's config. No rebuild.",
  args: [PIPELINE],
  options: {
    from: { type: 'string', value: 'ENV', help: 'The source environment, e.g. staging.', required: true },
    to: { type: 'string', value: 'ENV', help: 'The target environment, e.g. production.', required: true },
    yes: { type: 'boolean', short: 'y', help: 'Do not ask; needed when not run in a terminal.' },
    'no-rollback': REASON_OPTION,
    'from-version': {
      type: 'string',
      value: 'vN',
      help: 'Ship only if the source still runs this release (the confirmation sets it to the one shown).',
    },
  },
  examples: [
    'slipway promote shop --from staging --to production',
    'slipway promote shop --from staging --to production --yes --from-version v12',
  ],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const from = need(ctx.opts, 'from');
    const to = need(ctx.opts, 'to');
    const fromVersion = str(ctx.opts, 'from-version');
    let sourceVersion = fromVersion === undefined ? undefined : parseVersion(fromVersion, 'release');
    if (ctx.opts.yes !== true) {
      if (!ctx.io.interactive) {
        throw new UsageError(
          `promote changes ${to} and asks first; there is no terminal to ask in.`,
          'Pass --yes to promote without asking.',
        );
      }
      const preview = await ctx.call('promote.preview', { pipeline, from, to });
      ctx.io.stderr(previewText(preview, ctx.io.now()));
      // What was shown is what ships: if the source moves before the answer, the promote is refused.
      sourceVersion ??= preview.from.release?.version;
      const answer = (await ctx.io.ask(`Promote to ${to}? [y/N] `))?.trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') {
        throw new CommandFailed({ code: 'INVALID_INPUT', message: 'Promote not confirmed; nothing changed.' });
      }
    }
    const noRollback = str(ctx.opts, 'no-rollback');
    return withProgress(ctx, { pipeline, environment: to }, () =>
      ctx.call('promote', {
        pipeline,
        from,
        to,
        ...(sourceVersion === undefined ? {} : { sourceVersion }),
        ...(noRollback ? { noRollbackReason: noRollback } : {}),
      }),
    );
  },
};

export const rollback: CommandSpec = {
  name: 'rollback',
  summary: 'Make a new release copying an earlier one (default: the previous release).',
  args: [PIPELINE],
  options: {
    env: ENV_OPTION,
    to: { type: 'string', value: 'vN', help: 'The release to copy, e.g. v3.' },
    'override-reason': {
      type: 'string',
      value: 'TEXT',
      help: 'Roll back across a no-rollback release; recorded in the activity feed.',
    },
  },
  examples: ['slipway rollback shop --env production', 'slipway rollback shop --env production --to v3'],
  run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const to = str(ctx.opts, 'to');
    const override = str(ctx.opts, 'override-reason');
    const version = to === undefined ? undefined : parseVersion(to, 'release');
    return withProgress(ctx, { pipeline, environment }, () =>
      ctx.call('rollback', {
        pipeline,
        environment,
        ...(version === undefined ? {} : { to: version }),
        ...(override === undefined ? {} : { overrideReason: override }),
      }),
    );
  },
};

export const markNoRollback: CommandSpec = {
  name: 'releases:no-rollback',
  summary: 'Mark a release so nothing rolls back across it without a typed reason.',
  args: [PIPELINE, { name: 'vN', required: true }],
  options: {
    env: ENV_OPTION,
    reason: { type: 'string', value: 'TEXT', help: 'Why (shown to whoever tries to roll back).', required: true },
  },
  examples: ['slipway releases:no-rollback shop --env production v7 --reason "drops the legacy column"'],
  async run(ctx) {
    const version = parseVersion(ctx.args[1] ?? '', 'release');
    const value = await ctx.call('releases.markNoRollback', {
      pipeline: ctx.args[0] ?? '',
      environment: need(ctx.opts, 'env'),
      version,
      reason: need(ctx.opts, 'reason'),
    });
    return {
      value,
      human: `${versionLabel(value.version)} is marked no-rollback: ${value.noRollback?.reason ?? need(ctx.opts, 'reason')}\n`,
    };
  },
};

const BASE_OPTION = {
  type: 'string',
  value: 'vN',
  help: 'The release whose config you read (`slipway config` prints it); refused if these keys changed since.',
} as const;

const base = (ctx: CommandContext): { baseVersion?: number } => {
  const text = str(ctx.opts, 'base');
  return text === undefined ? {} : { baseVersion: parseVersion(text, 'release') };
};

export const configSet: CommandSpec = {
  name: 'config:set',
  summary: 'Set config vars; makes a release and deploys it.',
  args: [PIPELINE, { name: 'KEY=VALUE', required: true, variadic: true }],
  options: {
    env: ENV_OPTION,
    secret: {
      type: 'boolean',
      help: 'Store the values as secrets (never shown again). Give a bare KEY to type the value at a hidden prompt or pipe it on stdin.',
    },
    'from-file': { type: 'string', value: 'PATH', help: 'With one bare KEY: read its value from this file.' },
    base: BASE_OPTION,
  },
  examples: [
    'slipway config:set shop --env staging LOG_LEVEL=debug',
    'slipway config:set shop --env production --secret STRIPE_KEY',
    'slipway config:set shop --env production --secret STRIPE_KEY --from-file stripe.key',
  ],
  async run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const secret = ctx.opts.secret === true;
    const items = ctx.args.slice(1);
    const fromFile = str(ctx.opts, 'from-file');
    const assignments =
      secret || fromFile !== undefined ? await secretAssignments(items, fromFile, ctx.io) : parseAssignments(items);
    const vars = assignments.map((v) => (secret ? { ...v, secret: true } : v));
    const baseVersion = base(ctx);
    return withProgress(ctx, { pipeline, environment }, () =>
      ctx.call('config.set', { pipeline, environment, vars, ...baseVersion }),
    );
  },
};

export const configUnset: CommandSpec = {
  name: 'config:unset',
  summary: 'Remove config vars; makes a release and deploys it.',
  args: [PIPELINE, { name: 'KEY', required: true, variadic: true }],
  options: { env: ENV_OPTION, base: BASE_OPTION },
  run(ctx) {
    const pipeline = ctx.args[0] ?? '';
    const environment = need(ctx.opts, 'env');
    const baseVersion = base(ctx);
    return withProgress(ctx, { pipeline, environment }, () =>
      ctx.call('config.unset', { pipeline, environment, keys: [...ctx.args.slice(1)], ...baseVersion }),
    );
  },
};
