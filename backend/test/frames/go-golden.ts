import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const MODULE = 'github.com/grafana/grafana-plugin-sdk-go';
const CONFORMANCE_GO_MOD = join(__dirname, '../../../conformance/go.mod');

/**
 * Finds data/testdata/<name> of grafana-plugin-sdk-go in the Go module cache: the version pinned by
 * conformance/go.mod when present, else the newest cached one. Throws (never skips) when absent: CI runs
 * `go mod download` in conformance/ first.
 */
export function sdkTestdata(name: string): Buffer {
  let cache: string;
  try {
    cache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch (e) {
    throw new Error(`cannot run "go env GOMODCACHE" to locate the SDK goldens: ${(e as Error).message}`);
  }
  const parent = join(cache, 'github.com', 'grafana');
  const version = pinnedVersion() ?? newestCached(parent);
  const file = join(parent, `grafana-plugin-sdk-go@${version}`, 'data', 'testdata', name);
  if (!existsSync(file)) {
    throw new Error(`${file} not found: run "go mod download" in conformance/ (SDK ${version})`);
  }
  return readFileSync(file);
}

function pinnedVersion(): string | undefined {
  if (!existsSync(CONFORMANCE_GO_MOD)) return undefined;
  const escaped = MODULE.replace(/[./]/g, (c) => '\\' + c);
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(
    readFileSync(CONFORMANCE_GO_MOD, 'utf8')
  )?.[1];
}

function newestCached(parent: string): string {
  const versions = existsSync(parent)
    ? readdirSync(parent)
        .filter((d) => d.startsWith('grafana-plugin-sdk-go@v'))
        .map((d) => d.slice('grafana-plugin-sdk-go@'.length))
    : [];
  if (versions.length === 0) {
    throw new Error(`no ${MODULE} in the Go module cache ${parent}: run "go mod download" in conformance/`);
  }
  const key = (v: string) =>
    v
      .slice(1)
      .split(/[.-]/)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return versions.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < Math.max(ka.length, kb.length); i++)
      if ((ka[i] ?? 0) !== (kb[i] ?? 0)) return (ka[i] ?? 0) - (kb[i] ?? 0);
    return 0;
  })[versions.length - 1];
}
