// Renders the home page: which version and commit is serving, and a value from config.
import { readFileSync } from 'node:fs';

const readJson = (file, fallback) => {
  try {
    return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
  } catch {
    return fallback;
  }
};

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export function facts() {
  const pkg = readJson('./package.json', { version: '0.0.0' });
  const build = readJson('./build-info.json', { commit: process.env.SOURCE_VERSION ?? 'unknown' });
  return {
    version: pkg.version,
    commit: build.commit,
    release: process.env.SLIPWAY_RELEASE_VERSION ?? null,
    environment: process.env.SLIPWAY_ENVIRONMENT ?? null,
  };
}

export function renderPage() {
  const { version, commit, release, environment } = facts();
  const { accent } = readJson('./theme.json', { accent: '#333333' });
  const greeting = process.env.GREETING ?? 'Hello from Slipway';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Slipway demo ${escape(version)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f8fafc; }
  main { border-top: 8px solid ${escape(accent)}; background: white; padding: 2rem 3rem; box-shadow: 0 1px 4px #0002; }
  h1 { color: ${escape(accent)}; margin-top: 0; }
  dt { font-weight: 600; } dd { margin: 0 0 .5rem; font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<main>
  <h1>Slipway demo</h1>
  <p class="greeting">${escape(greeting)}</p>
  <dl>
    <dt>Version</dt><dd id="version">${escape(version)}</dd>
    <dt>Commit</dt><dd id="commit">${escape(String(commit).slice(0, 7))}</dd>
    <dt>Release</dt><dd id="release">${release ? `v${escape(release)}` : 'not deployed by Slipway'}</dd>
    <dt>Environment</dt><dd id="environment">${escape(environment ?? 'local')}</dd>
  </dl>
</main>
</body>
</html>
`;
}
