// Bundles bench/promql/bench.ts with esbuild (like scripts/build-backend.mjs does for the backend)
// into a temporary directory and runs it (with --expose-gc: the client collects its garbage between
// queries, not while timing them). `npm run bench:promql` builds the backend first.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'sluice-bench-promql-build-'));
try {
  await build({
    entryPoints: [join(root, 'bench/promql/bench.ts')],
    absWorkingDir: root,
    outfile: join(out, 'bench.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, ['--expose-gc', join(out, 'bench.js'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
