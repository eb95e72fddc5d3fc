// `npm run lint:electron`: Electronegativity over src/ (the Electron shell, the preload, the renderer's
// page). Every finding must be justified in docs/architecture.md ("Electronegativity findings") by a
// line naming its check and file; an unjustified finding, or a scan that did not run, fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const electron = require('electron/package.json').version;
const dir = mkdtempSync(join(tmpdir(), 'slipway-electronegativity-'));
const out = join(dir, 'findings.sarif');
try {
  const run = spawnSync(process.execPath, [bin, '-i', 'src', '-r', '-v', 'false', '-e', electron, '-o', out], {
    encoding: 'utf8',
  });
  let results;
  try {
    results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
  } catch {
    console.error(`Electronegativity did not run (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
  const docs = readFileSync('docs/architecture.md', 'utf8');
  const section = docs.slice(docs.indexOf('Electronegativity findings'));
  let unjustified = 0;
  for (const finding of results) {
    const file = finding.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? 'N/A';
    const line = finding.locations?.[0]?.physicalLocation?.region?.startLine ?? 0;
    const justified = section.includes(`\`${finding.ruleId}\` in \`${file}\``);
    if (!justified) unjustified++;
    console.log(`${justified ? 'justified  ' : 'UNJUSTIFIED'} ${finding.ruleId} src/${file}:${line}`);
  }
  console.log(`ELECTRONEGATIVITY findings=${results.length} unjustified=${unjustified} (Electron ${electron})`);
  if (unjustified > 0) {
    console.error(
      'Fix each UNJUSTIFIED finding, or justify it in docs/architecture.md under "Electronegativity findings".',
    );
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
