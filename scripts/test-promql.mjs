// `npm run test:promql [-- --update] [-- --no-build]`: Prometheus' PromQL conformance files, run by
// Prometheus' own Go runner against Sluice (conformance/promql), as one line per file
// `<file>: <passed>/<total>` on stdout. Fails when a file passes fewer evals than the ratchet
// (conformance/promql/ratchet.json) records; --update raises the ratchet to the current counts and
// never lowers it. Build and Go output go to stderr; the full report (every failure with the
// runner's message) to conformance/.bin/promql/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = join(root, 'conformance', 'promql');
const ratchetPath = join(moduleDir, 'ratchet.json');
const resultsPath = join(root, 'conformance', '.bin', 'promql', 'results.json');
const logPath = join(root, 'conformance', '.bin', 'promql', 'evals.log');

const args = process.argv.slice(2);
for (const arg of args) {
  if (!['--update', '--no-build'].includes(arg)) {
    console.error(`test:promql: unknown argument ${arg} (use --update or --no-build)`);
    process.exit(2);
  }
}
const update = args.includes('--update');

/** Runs a command with its output on our stderr, so that stdout carries only the per-file lines. */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: ['ignore', process.stderr, process.stderr], ...options });
  if (result.error) {
    throw result.error;
  }
  return result.status ?? 1;
}

if (!args.includes('--no-build')) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (run(npm, ['run', 'build:backend'], { cwd: root }) !== 0) {
    console.error('test:promql: the backend build failed');
    process.exit(1);
  }
}

rmSync(resultsPath, { force: true });
const goStatus = run('go', ['test', '-count=1', '-timeout=30m', '.'], {
  cwd: moduleDir,
  env: {
    ...process.env,
    SLUICE_NODE: process.execPath,
    SLUICE_CLI: join(root, 'dist', 'backend', 'cli.js'),
    SLUICE_PROMQL_RESULTS: resultsPath,
    SLUICE_PROMQL_LOG: logPath,
  },
});
if (!existsSync(resultsPath)) {
  console.error(`test:promql: the Go harness wrote no report (go test exited ${goStatus}); see the output above`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(resultsPath, 'utf8'));
const ratchet = existsSync(ratchetPath) ? JSON.parse(readFileSync(ratchetPath, 'utf8')) : {};

let skipped = 0;
const below = [];
for (const [file, counts] of Object.entries(report.files)) {
  console.log(`${file}: ${counts.passed}/${counts.total}`);
  skipped += counts.skippedHistogram;
  const floor = ratchet[file] ?? 0;
  if (counts.passed < floor) {
    below.push(`${file}: ${counts.passed} passed, the ratchet says at least ${floor}`);
  }
}
console.log(`skipped (native histograms): ${skipped}`);
console.error(
  `test:promql: Prometheus ${report.prometheus}; report with every failure in ${relative(root, resultsPath)}`
);

if (update) {
  const next = {};
  for (const file of Object.keys({ ...ratchet, ...report.files })) {
    next[file] = Math.max(ratchet[file] ?? 0, report.files[file]?.passed ?? 0);
  }
  writeFileSync(ratchetPath, JSON.stringify(next, null, 2) + '\n');
  console.error(`test:promql: ratchet ${relative(root, ratchetPath)} updated`);
}
if (below.length > 0) {
  console.error(`test:promql: below the ratchet:\n  ${below.join('\n  ')}`);
  process.exit(1);
}
if (goStatus !== 0) {
  console.error(`test:promql: go test failed (exit ${goStatus}): the harness itself is broken, see above`);
  process.exit(1);
}
