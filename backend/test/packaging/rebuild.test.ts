/**
 * The frontend build (webpack) and the backend build (esbuild + launchers) share dist/. Either may run
 * after the other: webpack's output.clean must keep the launchers and dist/backend/, and the backend
 * build must leave the frontend's files alone. Both builds run here into copies of dist/ in a temp
 * folder, so the dist/ other tests are using is never touched.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, LAUNCHER_TARGETS, ROOT, isExecutable } from './project';

jest.setTimeout(180_000);

const LAUNCHERS = LAUNCHER_TARGETS.map((target) => `gpx_sluice_${target}`);
const FRONTEND_FILES = ['module.js', 'module.js.map', 'plugin.json', 'README.md', 'img/logo.svg'];

let tmp: string;

beforeAll(() => {
  for (const file of [...LAUNCHERS, 'backend/main.js', ...FRONTEND_FILES]) {
    if (!existsSync(join(DIST, file))) {
      throw new Error(`dist/${file} is missing: build first with \`npm run build\` (\`npm test\` does this for you)`);
    }
  }
  tmp = mkdtempSync(join(tmpdir(), 'sluice-rebuild-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[], cwd: string): void {
  try {
    execFileSync(process.execPath, args, { cwd, stdio: 'pipe', timeout: 150_000 });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(
      `${args.join(' ')} failed: ${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`
    );
  }
}

const read = (path: string) => readFileSync(path);

test('a frontend build after the backend build keeps the launchers and dist/backend/, and removes stale files', () => {
  const dist = join(tmp, 'frontend-last');
  cpSync(DIST, dist, { recursive: true });
  writeFileSync(join(dist, 'stale-chunk.js'), '// from an older build\n');
  writeFileSync(join(dist, 'backend', 'marker'), 'kept\n');
  const launchersBefore = LAUNCHERS.map((name) => read(join(dist, name)));

  run([require.resolve('webpack-cli/bin/cli.js'), '--config', 'webpack.config.mjs', '--env', `dist=${dist}`], ROOT);

  for (const [i, name] of LAUNCHERS.entries()) {
    expect({ name, executable: isExecutable(join(dist, name)) }).toEqual({ name, executable: true });
    expect(read(join(dist, name)).equals(launchersBefore[i])).toBe(true);
  }
  expect(existsSync(join(dist, 'backend', 'main.js'))).toBe(true);
  expect(readFileSync(join(dist, 'backend', 'marker'), 'utf8')).toBe('kept\n');
  expect(existsSync(join(dist, 'stale-chunk.js'))).toBe(false);
  for (const file of FRONTEND_FILES) {
    expect({ file, exists: existsSync(join(dist, file)) }).toEqual({ file, exists: true });
  }
  // The same sources give the same module.js: the build is deterministic.
  expect(read(join(dist, 'module.js')).equals(read(join(DIST, 'module.js')))).toBe(true);
});

test('a backend build after the frontend build keeps the frontend’s files', () => {
  // A copy of the repository's build inputs: the backend build writes <its root>/dist.
  const root = join(tmp, 'backend-last');
  mkdirSync(root);
  cpSync(join(ROOT, 'scripts'), join(root, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'backend'), join(root, 'backend'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const dist = join(root, 'dist');
  for (const file of FRONTEND_FILES) {
    cpSync(join(DIST, file), join(dist, file));
  }

  run([join(root, 'scripts', 'build-backend.mjs')], root);

  for (const file of FRONTEND_FILES) {
    expect({ file, unchanged: read(join(dist, file)).equals(read(join(DIST, file))) }).toEqual({
      file,
      unchanged: true,
    });
  }
  for (const name of LAUNCHERS) {
    expect({ name, executable: isExecutable(join(dist, name)) }).toEqual({ name, executable: true });
  }
  expect(existsSync(join(dist, 'backend', 'main.js'))).toBe(true);
});
