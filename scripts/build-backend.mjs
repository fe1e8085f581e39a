// Bundles the backend and the CLI with esbuild and writes the launchers Grafana executes
// (dist/gpx_sluice_<os>_<arch>), which must work without PATH and survive webpack's dist/ clean.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: { main: 'backend/src/main.ts', cli: 'backend/src/cli/main.ts' },
  absWorkingDir: root,
  outdir: join(dist, 'backend'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.SLUICE_VERSION': JSON.stringify(pkg.version) },
});

const launcher = readFileSync(join(root, 'scripts/launcher.sh'), 'utf8').replace('@BUILD_NODE@', process.execPath);
mkdirSync(dist, { recursive: true });
for (const target of ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64']) {
  const path = join(dist, `gpx_sluice_${target}`);
  writeFileSync(path, launcher);
  chmodSync(path, 0o755);
}
