/**
 * Readers for the packaging files (docker-compose.yaml, docker/*.ini, provisioning/, plugin.json,
 * dist/) shared by the packaging tests. Everything is parsed, not pattern-matched, so the tests
 * follow the files' semantics: compose short and long volume syntax, list and map environments, ini
 * sections.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { DIST, ROOT } from '../helpers/dist';

export { DIST, ROOT };

export const LAUNCHER_TARGETS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64'] as const;

export interface PluginJson {
  id: string;
  type: string;
  name: string;
  backend?: boolean;
  executable?: string;
  alerting?: boolean;
  metrics?: boolean;
  info: {
    version: string;
    updated: string;
    keywords?: string[];
    author?: { name?: string };
    logos: { small: string; large: string };
  };
  dependencies: { grafanaDependency: string; plugins?: unknown[] };
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function sourcePluginJson(): PluginJson {
  return readJson<PluginJson>(join(ROOT, 'plugin.json'));
}

/** dist/plugin.json, with a pointer to the build when it is missing. */
export function distPluginJson(): PluginJson {
  const path = join(DIST, 'plugin.json');
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build first with \`npm run build\` (\`npm test\` does this for you)`);
  }
  return readJson<PluginJson>(path);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// --- docker compose -----------------------------------------------------------------------------

export interface Mount {
  /** Host path, absolute. */
  source: string;
  /** Path in the container. */
  target: string;
  readOnly: boolean;
}

export interface ComposeService {
  name: string;
  image?: string;
  command: string[];
  workingDir?: string;
  environment: Record<string, string>;
  mounts: Mount[];
  ports: unknown[];
  expose: string[];
  dependsOn: string[];
  healthcheck?: { test?: string[] | string };
}

export interface Compose {
  services: Record<string, ComposeService>;
}

type RawService = {
  image?: string;
  command?: string | string[];
  working_dir?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  ports?: unknown[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string[] | string };
};

export function loadCompose(file = join(ROOT, 'docker-compose.yaml')): Compose {
  const raw = parse(readFileSync(file, 'utf8')) as { services?: Record<string, RawService> };
  const services: Record<string, ComposeService> = {};
  for (const [name, service] of Object.entries(raw.services ?? {})) {
    services[name] = {
      name,
      image: service.image,
      command: typeof service.command === 'string' ? service.command.split(/\s+/) : (service.command ?? []),
      workingDir: service.working_dir,
      environment: environmentOf(service.environment),
      mounts: (service.volumes ?? []).flatMap((volume) => mountOf(volume)),
      ports: service.ports ?? [],
      expose: (service.expose ?? []).map(String),
      dependsOn: Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {}),
      healthcheck: service.healthcheck,
    };
  }
  return { services };
}

function environmentOf(environment: RawService['environment']): Record<string, string> {
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      })
    );
  }
  return Object.fromEntries(Object.entries(environment ?? {}).map(([key, value]) => [key, String(value ?? '')]));
}

/** Bind mounts only (named volumes have no host path to check). */
function mountOf(volume: NonNullable<RawService['volumes']>[number]): Mount[] {
  if (typeof volume === 'string') {
    const [source, target, mode] = volume.split(':');
    if (target === undefined || !(source.startsWith('.') || source.startsWith('/') || source.startsWith('~'))) {
      return [];
    }
    return [{ source: resolve(ROOT, source), target, readOnly: (mode ?? '').split(',').includes('ro') }];
  }
  if (volume.type !== 'bind' || !volume.source || !volume.target) {
    return [];
  }
  return [{ source: resolve(ROOT, volume.source), target: volume.target, readOnly: Boolean(volume.read_only) }];
}

/** The mount whose target is `containerPath` or one of its parents (the innermost one wins). */
export function mountFor(service: ComposeService, containerPath: string): Mount | undefined {
  return service.mounts
    .filter((m) => containerPath === m.target || containerPath.startsWith(`${m.target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
}

/** The host path behind a path in the container (relative paths are relative to working_dir). */
export function hostPathFor(service: ComposeService, containerPath: string): string | undefined {
  const absolute = posix.isAbsolute(containerPath)
    ? containerPath
    : posix.join(service.workingDir ?? '/', containerPath);
  const mount = mountFor(service, absolute);
  return mount ? join(mount.source, posix.relative(mount.target, absolute)) : undefined;
}

/** The value of `--flag VALUE` or `--flag=VALUE` in a command line. */
export function flagValue(command: string[], flag: string): string | undefined {
  for (let i = 0; i < command.length; i++) {
    if (command[i] === flag) {
      return command[i + 1];
    }
    if (command[i].startsWith(`${flag}=`)) {
      return command[i].slice(flag.length + 1);
    }
  }
  return undefined;
}

// --- grafana.ini --------------------------------------------------------------------------------

export type Ini = Record<string, Record<string, string>>;

/** go-ini as Grafana reads it: [section], key = value, `;` and `#` comment lines. */
export function parseIni(text: string): Ini {
  const ini: Ini = { '': {} };
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) {
      continue;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      ini[section] ??= {};
      continue;
    }
    const at = line.indexOf('=');
    if (at < 0) {
      throw new Error(`not an ini line: ${rawLine}`);
    }
    ini[section][line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return ini;
}

/**
 * A Grafana setting as Grafana resolves it: GF_<SECTION>_<KEY> from the environment if the key
 * exists in its ini files, else the ini value. (Dots and dashes in names become underscores.)
 */
export function grafanaSetting(
  env: Record<string, string>,
  ini: Ini,
  section: string,
  key: string
): string | undefined {
  const name = `GF_${section}_${key}`.toUpperCase().replace(/[.-]/g, '_');
  return env[name] ?? ini[section]?.[key];
}

// --- provisioning -------------------------------------------------------------------------------

export function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => pattern.test(path) && statSync(path).isFile())
    .sort();
}

export function readYaml<T = unknown>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function repoPath(path: string): string {
  return isAbsolute(path) ? relative(ROOT, path) : path;
}

// --- versions -----------------------------------------------------------------------------------

export function parseVersion(version: string): [number, number, number] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) {
    throw new Error(`not a version: ${version}`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** For the ranges plugin.json uses: `>=X.Y.Z`, optionally with `<A.B.C` (space separated). */
export function satisfies(version: string, range: string): boolean {
  return range
    .trim()
    .split(/\s+/)
    .every((part) => {
      const match = /^(>=|>|<=|<|=)?v?(\d+\.\d+\.\d+)$/.exec(part);
      if (!match) {
        throw new Error(`unsupported range part ${JSON.stringify(part)} in ${JSON.stringify(range)}`);
      }
      const c = compareVersions(version, match[2]);
      switch (match[1] ?? '=') {
        case '>=':
          return c >= 0;
        case '>':
          return c > 0;
        case '<=':
          return c <= 0;
        case '<':
          return c < 0;
        default:
          return c === 0;
      }
    });
}

// --- dist/module.js -----------------------------------------------------------------------------

/** The code after any leading comments (a minifier may put a license banner first). */
export function withoutLeadingComments(code: string): string {
  return code.replace(/^(?:\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*/, '');
}

/** The dependency list of `define([...], factory)`, the first statement of an AMD module. */
export function amdDependencies(code: string): string[] {
  const match = /^define\((\[[^\]]*\])\s*,/.exec(withoutLeadingComments(code));
  if (!match) {
    throw new Error(`not an AMD module: starts with ${JSON.stringify(code.slice(0, 80))}`);
  }
  return JSON.parse(match[1]) as string[];
}

export function sharedGrafanaModules(): string[] {
  return readJson<{ modules: string[] }>(join(ROOT, 'scripts/grafana-shared-modules.json')).modules;
}
