import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root (backend/test/helpers → ../../..). */
export const ROOT = resolve(__dirname, '..', '..', '..');

export const DIST = join(ROOT, 'dist');
export const LAUNCHER = join(DIST, 'gpx_sluice_linux_amd64');
export const MAIN_JS = join(DIST, 'backend', 'main.js');
export const CLI_JS = join(DIST, 'backend', 'cli.js');

/**
 * The built artifacts these tests run. `npm test` builds them first; when jest is run on its own
 * without a build, fail with a message that says what to do instead of a cryptic ENOENT.
 */
export function requireDist(): { launcher: string; mainJs: string; cliJs: string } {
  for (const [path, mode] of [
    [LAUNCHER, constants.X_OK],
    [MAIN_JS, constants.R_OK],
    [CLI_JS, constants.R_OK],
  ] as const) {
    try {
      accessSync(path, mode);
    } catch {
      throw new Error(
        `${path} is missing or not ${mode === constants.X_OK ? 'executable' : 'readable'}: ` +
          'build the backend first with `npm run build:backend` (`npm test` does this for you)'
      );
    }
  }
  return { launcher: LAUNCHER, mainJs: MAIN_JS, cliJs: CLI_JS };
}
