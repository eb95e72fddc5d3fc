// The build step: runs once per commit. Records which commit this slug was built from.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

function commit() {
  if (process.env.SOURCE_VERSION) return process.env.SOURCE_VERSION;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const info = { commit: commit(), builtAt: new Date().toISOString() };
writeFileSync('build-info.json', `${JSON.stringify(info, null, 2)}\n`);
console.log(`Built commit ${info.commit.slice(0, 7)}`);
