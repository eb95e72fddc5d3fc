// The first-run pipeline: the demo app as a small git history, with staging and production on the
// local provider, so a new user can deploy, promote and roll back without a cloud account.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AppError } from '../../shared/errors.js';
import { pipelineSchema, type Pipeline } from '../../shared/model.js';
import { freePort } from '../util/free-port.js';

const run = promisify(execFile);

export const DEMO_AUTHOR = { name: 'Slipway Demo', email: 'demo@slipway.local' } as const;
const DEMO_APP = join('examples', 'demo-app');

/** examples/demo-app, found from this module both in src/main/workspace and bundled in dist/main. */
export function findDemoApp(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, DEMO_APP);
    if (existsSync(join(candidate, 'slipway.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new AppError(
    'NOT_FOUND',
    'The demo app (examples/demo-app) is missing from this installation. Reinstall Slipway to get it back.',
  );
}

/** Edits that take the finished app back to an earlier commit; applied in reverse to tell its story. */
interface HistoryStep {
  readonly message: string;
  /** file → [text in the finished app, text before this commit] */
  readonly edits: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

const history: readonly HistoryStep[] = [
  {
    message: 'Show a greeting from the GREETING config var',
    edits: {
      'page.js': [
        ["  const greeting = process.env.GREETING ?? 'Hello from Slipway';\n", ''],
        ['  <p class="greeting">${escape(greeting)}</p>\n', ''],
      ],
    },
  },
  { message: 'Change the accent colour to teal', edits: { 'theme.json': [['"#0f766e"', '"#2563eb"']] } },
  { message: 'Bump version to 1.1.0', edits: { 'package.json': [['"version": "1.1.0"', '"version": "1.0.0"']] } },
];

function replaceOnce(text: string, from: string, to: string, file: string): string {
  if (!text.includes(from))
    throw new AppError('INTERNAL', `The demo app's ${file} no longer matches its scripted history.`);
  return text.replace(from, () => to);
}

async function git(repo: string, args: readonly string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: DEMO_AUTHOR.name,
    GIT_AUTHOR_EMAIL: DEMO_AUTHOR.email,
    GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
    GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
  const { stdout } = await run(
    'git',
    ['-C', repo, '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args],
    { env },
  );
  return stdout;
}

async function commitAll(repo: string, message: string): Promise<void> {
  await git(repo, ['add', '--all']);
  await git(repo, ['commit', '--quiet', '--no-verify', '-m', message]);
}

/** Builds `home/repos/demo` (once) and returns the demo pipeline, ready to deploy. */
export async function createDemoPipeline(home: string): Promise<Pipeline> {
  const repo = join(home, 'repos', 'demo');
  if (!existsSync(join(repo, '.git'))) await createDemoRepo(repo);

  // Staging first, so its port is the lower-numbered one more often than not; both are free now.
  const stagingPort = await freePort();
  let productionPort = await freePort();
  while (productionPort === stagingPort) productionPort = await freePort();
  const target = (port: number) => ({
    provider: 'local' as const,
    port,
    instances: 2,
    // Snappy for a demo: a new release is usually healthy within a few hundred milliseconds.
    healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 2_000, retries: 50 },
    stopSignal: 'SIGTERM' as const,
    graceMs: 5_000,
  });
  return pipelineSchema.parse({
    name: 'demo',
    repo,
    environments: [
      { name: 'staging', target: target(stagingPort) },
      { name: 'production', target: target(productionPort) },
    ],
  });
}

async function createDemoRepo(repo: string): Promise<void> {
  const source = findDemoApp();
  await mkdir(repo, { recursive: true });
  await cp(source, repo, {
    recursive: true,
    filter: (path) => !/(^|[\\/])(build-info\.json|node_modules)$/.test(path),
  });

  // The finished files, then each step undone from the last to the first: the initial commit.
  const finished = new Map<string, string>();
  for (const step of history) {
    for (const file of Object.keys(step.edits)) finished.set(file, await readFile(join(source, file), 'utf8'));
  }
  const stages: Map<string, string>[] = [new Map(finished)];
  for (const step of [...history].reverse()) {
    const earlier = new Map(stages[0]);
    for (const [file, edits] of Object.entries(step.edits)) {
      let text = earlier.get(file) ?? '';
      for (const [now, before] of edits) text = replaceOnce(text, now, before, file);
      earlier.set(file, text);
    }
    stages.unshift(earlier);
  }

  await git(repo, ['init', '--quiet', '--initial-branch=main']);
  const write = async (files: Map<string, string>): Promise<void> => {
    for (const [file, text] of files) await writeFile(join(repo, file), text);
  };
  await write(stages[0] ?? finished);
  await commitAll(repo, 'Initial demo app (v1.0.0)');
  for (const [index, step] of history.entries()) {
    await write(stages[index + 1] ?? finished);
    await commitAll(repo, step.message);
  }
}
