/**
 * docker-compose.yaml, docker/*.ini and provisioning/ checked against plugin.json, the backend's own
 * settings and query parsers, and the built dist/ (`npm test` builds it first). No Docker is needed:
 * every path, id, environment variable and port is resolved the way compose and Grafana would.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { QUERY_TYPES, parseQueryModel } from '../../src/datasource/query';
import { DEFAULT_SETTINGS, DatasourceSettings, parseSettings } from '../../src/datasource/settings';
import { checkQueryModel } from '../../src/datasource/check-query';
import {
  Compose,
  ComposeService,
  DIST,
  LAUNCHER_TARGETS,
  PluginJson,
  ROOT,
  amdDependencies,
  distPluginJson,
  filesUnder,
  flagValue,
  grafanaSetting,
  hostPathFor,
  isExecutable,
  loadCompose,
  mountFor,
  parseIni,
  parseVersion,
  readJson,
  readYaml,
  repoPath,
  satisfies,
  sharedGrafanaModules,
  sourcePluginJson,
  withoutLeadingComments,
} from './project';

const CHUNKED_QUERY_TOGGLES = [
  'datasources.chunkedQueryStreaming',
  'datasource.useNewCRUDAPIs',
  'grafanaAPIServerWithExperimentalAPIs',
];

let plugin: PluginJson;
let compose: Compose;
let grafana: ComposeService;
let ini: ReturnType<typeof parseIni>;
let iniHostPath: string;

/** Grafana's paths as the official image sets them (GF_PATHS_*), unless the service overrides them. */
function grafanaPath(name: 'CONFIG' | 'PLUGINS' | 'PROVISIONING'): string {
  const defaults = {
    CONFIG: '/etc/grafana/grafana.ini',
    PLUGINS: '/var/lib/grafana/plugins',
    PROVISIONING: '/etc/grafana/provisioning',
  };
  return grafana.environment[`GF_PATHS_${name}`] ?? defaults[name];
}

function setting(section: string, key: string): string | undefined {
  return grafanaSetting(grafana.environment, ini, section, key);
}

beforeAll(() => {
  plugin = sourcePluginJson();
  compose = loadCompose();
  const found = Object.values(compose.services).find((s) => /^grafana\/grafana/.test(s.image ?? ''));
  if (!found) {
    throw new Error('docker-compose.yaml has no service running a grafana/grafana image');
  }
  grafana = found;
  const iniMount = grafana.mounts.find((m) => m.target === grafanaPath('CONFIG'));
  if (!iniMount) {
    throw new Error(`no ini file is mounted at ${grafanaPath('CONFIG')}, the config file Grafana reads`);
  }
  iniHostPath = iniMount.source;
  ini = parseIni(readFileSync(iniHostPath, 'utf8'));
});

/** The service that `[plugin.<id>] sidecar_address` points at, and the port. */
function sidecar(): { service: ComposeService; host: string; port: number } {
  const address = ini[`plugin.${plugin.id}`]?.sidecar_address;
  if (!address) {
    throw new Error(`${repoPath(iniHostPath)} has no [plugin.${plugin.id}] sidecar_address`);
  }
  const match = /^([^:]+):(\d+)$/.exec(address);
  if (!match) {
    throw new Error(`sidecar_address ${address} is not HOST:PORT`);
  }
  const service = compose.services[match[1]];
  if (!service) {
    throw new Error(`sidecar_address names ${match[1]}, which is not a service in docker-compose.yaml`);
  }
  return { service, host: match[1], port: Number(match[2]) };
}

describe('docker-compose.yaml', () => {
  test('Grafana is pinned to a 13.2.x image that satisfies grafanaDependency and matches the @grafana packages', () => {
    const match = /^grafana\/grafana(?:-enterprise|-oss)?:(\d+\.\d+\.\d+)$/.exec(grafana.image ?? '');
    expect(match).not.toBeNull();
    const version = match![1];
    expect(parseVersion(version).slice(0, 2)).toEqual([13, 2]);
    expect(satisfies(version, plugin.dependencies.grafanaDependency)).toBe(true);
    // The frontend is built against these packages; Grafana provides them at runtime.
    const grafanaData = readJson<{ version: string }>(join(ROOT, 'node_modules/@grafana/data/package.json'));
    expect(parseVersion(grafanaData.version).slice(0, 2)).toEqual(parseVersion(version).slice(0, 2));
  });

  test('every mounted host path exists', () => {
    const missing = Object.values(compose.services).flatMap((service) =>
      service.mounts.filter((m) => !existsSync(m.source)).map((m) => `${service.name}: ${repoPath(m.source)}`)
    );
    expect(missing).toEqual([]);
  });

  test('dist/ is the plugin folder, named after the plugin id, inside Grafana’s plugins path', () => {
    const mount = grafana.mounts.find((m) => m.source === DIST);
    expect(mount).toBeDefined();
    expect(mount!.target).toBe(posix.join(grafanaPath('PLUGINS'), plugin.id));
    expect(posix.basename(mount!.target)).toBe(plugin.id);
  });

  test('provisioning/ is mounted where Grafana reads provisioning', () => {
    const mount = grafana.mounts.find((m) => m.source === join(ROOT, 'provisioning'));
    expect(mount?.target).toBe(grafanaPath('PROVISIONING'));
  });

  test('the unsigned plugin is allowed', () => {
    const allowed = (setting('plugins', 'allow_loading_unsigned_plugins') ?? '').split(/[\s,]+/);
    expect(allowed).toContain(plugin.id);
  });

  test('the chunked-query feature toggles are enabled', () => {
    const enabled = (setting('feature_toggles', 'enable') ?? '').split(/[\s,]+/).filter(Boolean);
    const onByKey = CHUNKED_QUERY_TOGGLES.filter((t) => ini.feature_toggles?.[t] === 'true');
    expect([...enabled, ...onByKey]).toEqual(expect.arrayContaining(CHUNKED_QUERY_TOGGLES));
  });

  test('anonymous users are Admins (a local demo)', () => {
    expect(setting('auth.anonymous', 'enabled')).toBe('true');
    expect(setting('auth.anonymous', 'org_role')).toBe('Admin');
  });

  test('Grafana publishes port 3000 and starts after the sidecar', () => {
    expect(grafana.ports.map(String)).toContain('3000:3000');
    expect(grafana.dependsOn).toContain(sidecar().host);
  });
});

describe('the backend sidecar', () => {
  test('sidecar_address names the compose service and the port its command listens on', () => {
    const { service, port } = sidecar();
    expect(service).not.toBe(grafana);
    const listen = flagValue(service.command, '--listen');
    // All interfaces of the compose network; the loopback default would be unreachable from Grafana.
    expect(listen).toBe(`0.0.0.0:${port}`);
    // Reachable inside the network only.
    expect(service.ports).toEqual([]);
    if (service.expose.length > 0) {
      expect(service.expose).toContain(String(port));
    }
  });

  test('the sidecar_address key reaches the launcher as GF_PLUGIN_SIDECAR_ADDRESS', () => {
    // Grafana forwards [plugin.<id>] keys as GF_PLUGIN_<KEY>; the launcher reads exactly that name.
    const launcher = readFileSync(join(ROOT, 'scripts/launcher.sh'), 'utf8');
    expect(launcher).toContain('GF_PLUGIN_SIDECAR_ADDRESS');
    expect(Object.keys(ini[`plugin.${plugin.id}`])).toContain('sidecar_address');
  });

  test('runs Node 20+ on dist/backend/main.js from the mounted dist/, with the launcher’s V8 flags', () => {
    const { service } = sidecar();
    const node = /^node:(\d+)/.exec(service.image ?? '');
    expect(node).not.toBeNull();
    expect(Number(node![1])).toBeGreaterThanOrEqual(20);
    expect(service.command[0]).toBe('node');
    const script = service.command.find((arg) => arg.endsWith('.js'));
    expect(script).toBeDefined();
    const host = hostPathFor(service, script!);
    expect(host).toBe(join(DIST, 'backend', 'main.js'));
    expect(existsSync(host!)).toBe(true);
    // The same flags the launcher gives node in plugin mode (scripts/launcher.sh's node_flags default).
    const launcher = readFileSync(join(ROOT, 'scripts/launcher.sh'), 'utf8');
    const flags = /node_flags="\$\{GF_PLUGIN_NODE_FLAGS:-([^}]*)\}"/.exec(launcher);
    expect(flags).not.toBeNull();
    const v8Flags = service.command.slice(1, service.command.indexOf(script!));
    expect(v8Flags).toEqual(flags![1].split(/\s+/));
  });

  test('the healthcheck probes the port the sidecar listens on', () => {
    const { service, port } = sidecar();
    const test = service.healthcheck?.test;
    if (test === undefined) {
      return;
    }
    expect((Array.isArray(test) ? test.join(' ') : test).includes(String(port))).toBe(true);
  });
});

describe('plugin.json and dist/', () => {
  test('plugin.json: a backend datasource for Grafana >=13.2.0', () => {
    expect(plugin).toMatchObject({
      type: 'datasource',
      id: 'sluice-datasource',
      backend: true,
      executable: 'gpx_sluice',
      alerting: true,
      metrics: true,
    });
    expect(plugin.dependencies.grafanaDependency).toBe('>=13.2.0');
    expect(plugin.info.version).toBe('%VERSION%');
    expect(plugin.info.updated).toBe('%TODAY%');
  });

  test('every launcher Grafana may look for is in dist/ and executable', () => {
    const dist = distPluginJson();
    const missing = LAUNCHER_TARGETS.map((t) => `${dist.executable}_${t}`).filter((n) => !isExecutable(join(DIST, n)));
    expect(missing).toEqual([]);
  });

  test('dist/module.js is an AMD module that leaves React and the @grafana packages to Grafana', () => {
    const code = readFileSync(join(DIST, 'module.js'), 'utf8');
    expect(withoutLeadingComments(code).startsWith('define(')).toBe(true);
    const dependencies = amdDependencies(code);
    // What every datasource plugin imports, referenced as AMD dependencies, not bundled.
    expect(dependencies).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/runtime']));
    // Nothing Grafana does not provide ('module' is the AMD loader's own, for the public path).
    const provided = new Set([...sharedGrafanaModules(), 'module']);
    expect(dependencies.filter((d) => !provided.has(d))).toEqual([]);
    // The source map lists every module in the bundle: none of Grafana's shared packages.
    const map = readJson<{ sources: string[] }>(join(DIST, 'module.js.map'));
    const bundled = map.sources.filter((s) =>
      /node_modules\/(react|react-dom|rxjs|@grafana\/(data|runtime|ui)|@emotion\/(css|react)|lodash|moment)\//.test(s)
    );
    expect(bundled).toEqual([]);
  });
});

describe('provisioning/', () => {
  const provisioning = join(ROOT, 'provisioning');

  type Datasource = { name: string; uid?: string; type: string; jsonData?: Record<string, unknown> };
  function datasources(): Datasource[] {
    return filesUnder(join(provisioning, 'datasources'), /\.ya?ml$/).flatMap(
      (file) => readYaml<{ datasources?: Datasource[] }>(file).datasources ?? []
    );
  }

  function sluiceSettings(): DatasourceSettings {
    const ds = datasources().find((d) => d.uid === 'sluice');
    return parseSettings(Buffer.from(JSON.stringify(ds?.jsonData ?? {})));
  }

  type Provider = { name: string; type?: string; options?: { path?: string } };
  function dashboardProviders(): { file: string; provider: Provider }[] {
    return filesUnder(join(provisioning, 'dashboards'), /\.ya?ml$/).flatMap((file) =>
      (readYaml<{ providers?: Provider[] }>(file).providers ?? []).map((provider) => ({ file, provider }))
    );
  }

  /** Dashboard JSON files, found through the providers' paths as Grafana finds them. */
  function dashboards(): { file: string; json: Dashboard }[] {
    const dirs = dashboardProviders().map(({ provider }) => hostPathFor(grafana, provider.options!.path!)!);
    return [...new Set(dirs)].flatMap((dir) =>
      filesUnder(dir, /\.json$/).map((file) => ({ file, json: readJson<Dashboard>(file) }))
    );
  }

  type Target = { refId: string; queryType?: string; datasource?: { uid?: string; type?: string } };
  type Panel = {
    id: number;
    type: string;
    datasource?: { uid?: string; type?: string };
    targets?: Target[];
    panels?: Panel[];
  };
  type Dashboard = { uid?: string; title?: string; panels?: Panel[] };
  const allPanels = (panels: Panel[] = []): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels)]);

  test('the Sluice datasource: the plugin’s type, fixed uid `sluice`, settings the backend accepts', () => {
    const all = datasources();
    const sluice = all.filter((d) => d.uid === 'sluice');
    expect(sluice).toHaveLength(1);
    expect(sluice[0].type).toBe(plugin.id);
    // A key is a backend setting, or one the frontend reads (browser-side limits, transport).
    const frontend = filesUnder(join(ROOT, 'src'), /\.tsx?$/)
      .filter((file) => !/\.test\.tsx?$/.test(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const known = (key: string) => key in DEFAULT_SETTINGS || new RegExp(`\\b${key}\\b`).test(frontend);
    for (const ds of all.filter((d) => d.type === plugin.id)) {
      const unknown = Object.keys(ds.jsonData ?? {}).filter((key) => !known(key));
      expect({ datasource: ds.name, unknown }).toEqual({ datasource: ds.name, unknown: [] });
      expect(() => parseSettings(Buffer.from(JSON.stringify(ds.jsonData ?? {})))).not.toThrow();
    }
  });

  test('dashboard providers read a folder inside the mounted provisioning/ that exists', () => {
    const providers = dashboardProviders();
    expect(providers.length).toBeGreaterThan(0);
    const root = mountFor(grafana, grafanaPath('PROVISIONING'))!;
    for (const { provider } of providers) {
      expect(provider.type ?? 'file').toBe('file');
      const path = provider.options?.path ?? '';
      expect(path.startsWith(`${root.target}/`)).toBe(true);
      const host = hostPathFor(grafana, path)!;
      expect(host.startsWith(`${provisioning}/`)).toBe(true);
      expect(statSync(host).isDirectory()).toBe(true);
      expect(filesUnder(host, /\.json$/).length).toBeGreaterThan(0);
    }
  });

  test('dashboards have fixed, unique uids', () => {
    const uids = dashboards().map(({ json }) => json.uid);
    expect(uids.length).toBeGreaterThan(0);
    expect(uids.every((uid) => typeof uid === 'string' && uid.length > 0)).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toContain('sluice-demo');
  });

  test('every query panel queries the Sluice datasource with a query the backend accepts', () => {
    const settings = sluiceSettings();
    for (const { file, json } of dashboards()) {
      for (const panel of allPanels(json.panels).filter((p) => (p.targets ?? []).length > 0)) {
        const where = `${repoPath(file)} panel ${panel.id}`;
        expect({ where, datasource: panel.datasource }).toEqual({
          where,
          datasource: { type: plugin.id, uid: 'sluice' },
        });
        for (const target of panel.targets!) {
          if (target.datasource) {
            expect({ where, datasource: target.datasource }).toEqual({ where, datasource: panel.datasource });
          }
          expect(QUERY_TYPES).toContain(target.queryType);
          const query = {
            refId: target.refId,
            queryType: target.queryType ?? '',
            maxDataPoints: 1000,
            intervalMs: 1000,
            timeRange: { from: 0, to: 3_600_000 },
            json: Buffer.from(JSON.stringify(target)),
          };
          const model = parseQueryModel(query);
          expect(() => checkQueryModel(model, settings)).not.toThrow();
        }
      }
    }
  });

  test('the demo dashboard: a time series, a table with a large streamed result, and a text panel', () => {
    const demo = dashboards().find(({ json }) => json.uid === 'sluice-demo')!;
    const panels = allPanels(demo.json.panels);
    const types = panels.map((p) => p.type);
    expect(types).toEqual(expect.arrayContaining(['timeseries', 'table', 'text']));
    const rows = panels.flatMap((p) => (p.targets ?? []).map((t) => Number((t as { rows?: number }).rows ?? 0)));
    expect(Math.max(...rows)).toBeGreaterThanOrEqual(1_000_000);
  });
});
