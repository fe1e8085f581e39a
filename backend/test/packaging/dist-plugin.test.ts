/**
 * The plugin folder `npm run build` produces (dist/), as Grafana reads it: plugin.json with the
 * build's version and date, the files it names, and a module.js that an AMD loader can run with
 * Grafana's shared modules and that exports a datasource plugin with its editors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ROOT, distPluginJson, isExecutable, LAUNCHER_TARGETS, readJson, sourcePluginJson } from './project';

describe('dist/plugin.json', () => {
  test('has every %TOKEN% replaced: the package version and the build date', () => {
    const text = readFileSync(join(DIST, 'plugin.json'), 'utf8');
    expect(text).not.toMatch(/%[A-Z_]+%/);
    const dist = distPluginJson();
    expect(dist.info.version).toBe(readJson<{ version: string }>(join(ROOT, 'package.json')).version);
    expect(dist.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(dist.info.updated))).toBe(false);
  });

  test('is the source plugin.json otherwise', () => {
    const source = sourcePluginJson();
    const dist = distPluginJson();
    expect({ ...dist, info: { ...dist.info, version: '%VERSION%', updated: '%TODAY%' } }).toEqual(source);
  });

  test('declares a backend datasource with alerting, run by gpx_sluice', () => {
    expect(distPluginJson()).toMatchObject({
      type: 'datasource',
      id: 'sluice-datasource',
      backend: true,
      executable: 'gpx_sluice',
      alerting: true,
      metrics: true,
      dependencies: { grafanaDependency: '>=13.2.0' },
    });
  });

  test('names logos that are in dist/', () => {
    const { logos } = distPluginJson().info;
    expect(logos.small).toBeTruthy();
    expect(logos.large).toBeTruthy();
    for (const logo of [logos.small, logos.large]) {
      expect(existsSync(join(DIST, logo))).toBe(true);
    }
  });

  test('has its launchers, named <executable>_<os>_<arch>, executable', () => {
    const { executable } = distPluginJson();
    for (const target of LAUNCHER_TARGETS) {
      expect({ launcher: `${executable}_${target}`, ok: isExecutable(join(DIST, `${executable}_${target}`)) }).toEqual({
        launcher: `${executable}_${target}`,
        ok: true,
      });
    }
  });

  test('comes with README.md, and CHANGELOG.md and LICENSE when the repository has them', () => {
    expect(existsSync(join(DIST, 'README.md'))).toBe(true);
    for (const name of ['CHANGELOG.md', 'LICENSE']) {
      expect({ name, inDist: existsSync(join(DIST, name)) }).toEqual({ name, inDist: existsSync(join(ROOT, name)) });
    }
  });
});

describe('dist/module.js under an AMD loader', () => {
  /** Records what module.ts does with DataSourcePlugin; any other set…() call is recorded too. */
  class DataSourcePlugin {
    readonly calls: Record<string, unknown[]> = {};
    constructor(readonly DataSourceClass: unknown) {
      return new Proxy(this, {
        get: (target, prop, receiver) =>
          prop in target || typeof prop === 'symbol'
            ? Reflect.get(target, prop, receiver)
            : (...args: unknown[]) => {
                target.calls[prop] = args;
                return receiver;
              },
      });
    }
  }
  class DataSourceWithBackend {
    constructor(readonly instanceSettings: unknown) {}
  }

  /** Stands in for anything else a module touches at load time: callable, constructible, any property. */
  function anything(): unknown {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(function () {}, {
      get: (target, prop) => {
        if (prop === 'prototype') {
          return target.prototype;
        }
        if (typeof prop === 'symbol' || prop === '__esModule' || prop === 'then') {
          return undefined;
        }
        if (prop === 'toString' || prop === 'valueOf') {
          return () => '';
        }
        if (!cache.has(prop)) {
          cache.set(prop, anything());
        }
        return cache.get(prop);
      },
      apply: () => anything(),
      construct: () => anything() as object,
    });
  }

  function withReal(real: Record<string, unknown>): unknown {
    const rest = anything() as Record<PropertyKey, unknown>;
    return new Proxy(real, {
      get: (target, prop) => (prop in target ? target[prop as string] : rest[prop]),
      has: () => true,
    });
  }

  function load(): { dependencies: string[]; exports: Record<string, unknown> } {
    const code = readFileSync(join(DIST, 'module.js'), 'utf8');
    const modules: Record<string, unknown> = {
      module: { uri: 'http://localhost:3000/public/plugins/sluice-datasource/module.js' },
      '@grafana/data': withReal({ DataSourcePlugin }),
      '@grafana/runtime': withReal({ DataSourceWithBackend }),
    };
    let result: { dependencies: string[]; exports: Record<string, unknown> } | undefined;
    const define = (dependencies: string[], factory: (...args: unknown[]) => Record<string, unknown>) => {
      result = { dependencies, exports: factory(...dependencies.map((d) => (d in modules ? modules[d] : anything()))) };
    };
    new Function('define', code)(define);
    if (!result) {
      throw new Error('dist/module.js did not call define()');
    }
    return result;
  }

  test('exports `plugin`: a DataSourcePlugin of a DataSourceWithBackend, with config and query editors', () => {
    const { exports } = load();
    const plugin = exports.plugin as DataSourcePlugin;
    expect(plugin).toBeInstanceOf(DataSourcePlugin);
    expect((plugin.DataSourceClass as { prototype: unknown }).prototype).toBeInstanceOf(DataSourceWithBackend);
    // Function components, or memo/forwardRef objects.
    expect(['function', 'object']).toContain(typeof plugin.calls.setConfigEditor?.[0]);
    expect(['function', 'object']).toContain(typeof plugin.calls.setQueryEditor?.[0]);
    expect(plugin.calls.setConfigEditor[0]).not.toBeNull();
    expect(plugin.calls.setQueryEditor[0]).not.toBeNull();
  });
});
