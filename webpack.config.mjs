// The frontend build: src/module.ts → dist/module.js, an AMD module that Grafana's plugin loader
// (SystemJS) runs with React, @grafana/* and the other shared packages provided by Grafana itself,
// plus the static files of the plugin folder (plugin.json, README.md, img/, …).
//
//   npm run build:frontend                         production build into dist/
//   webpack --config webpack.config.mjs --env development --watch
//   webpack --config webpack.config.mjs --env dist=/tmp/out --env src=/tmp/src   (other folders)
//
// dist/ is shared with the backend build (scripts/build-backend.mjs: dist/backend/ and the
// gpx_sluice_<os>_<arch> launchers). output.clean keeps those, so either build may run first.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = dirname(fileURLToPath(import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pluginJsonPath = join(root, 'plugin.json');
const pluginId = JSON.parse(readFileSync(pluginJsonPath, 'utf8')).id;
const sharedModules = JSON.parse(readFileSync(join(root, 'scripts/grafana-shared-modules.json'), 'utf8')).modules;

/**
 * Files in dist/ that a frontend build must not delete: what the backend build writes (launchers named
 * like Go plugin binaries, the bundle in backend/), a Node runtime the launcher may find in node/, and
 * the names the create-plugin scaffold keeps (Go binaries and their build manifest).
 */
export const KEEP_IN_DIST =
  /^(?:[^/]+_(?:amd64|arm64|arm)(?:\.exe)?|go_plugin_build_manifest|(?:backend|node)(?:\/.*)?)$/;

/** %VERSION%, %TODAY% and %PLUGIN_ID% in plugin.json, as the scaffold replaces them. */
function replaceTokens(text) {
  // SOURCE_DATE_EPOCH makes a build reproducible; otherwise the build date.
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const today = (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
  return text
    .replace(/%VERSION%/g, packageJson.version)
    .replace(/%TODAY%/g, today)
    .replace(/%PLUGIN_ID%/g, pluginId);
}

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Shared modules stay imports of module.js; deep imports into Grafana's packages are not provided. */
function grafanaExternals({ request }, callback) {
  if (request === 'amd-module') {
    // The AMD loader's own `module` object, for scripts/grafana-public-path.js.
    return callback(undefined, 'module');
  }
  if (sharedModules.includes(request)) {
    return callback(undefined, request);
  }
  if (/^@grafana\/(?:data|runtime|ui)\//.test(request)) {
    return callback(
      new Error(
        `${request}: Grafana provides only ${sharedModules.filter((m) => m.startsWith('@grafana/')).join(', ')} to plugins; import from those`
      )
    );
  }
  // Legacy "grafana/app/…" imports name Grafana's own modules.
  if (request && request.startsWith('grafana/')) {
    return callback(undefined, request.slice('grafana/'.length));
  }
  return callback();
}

/** Fails the build if dist/plugin.json would be invalid, keep a %TOKEN%, or name a logo that is not built. */
class CheckPluginJson {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CheckPluginJson', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'CheckPluginJson', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        (assets) => {
          const fail = (message) => compilation.errors.push(new webpack.WebpackError(`plugin.json: ${message}`));
          if (!assets['plugin.json']) {
            return fail('not copied into the output');
          }
          const text = assets['plugin.json'].source().toString();
          const left = text.match(/%[A-Z_]+%/g);
          if (left) {
            return fail(`unreplaced ${left.join(', ')}`);
          }
          let json;
          try {
            json = JSON.parse(text);
          } catch (error) {
            return fail(`not valid JSON: ${error.message}`);
          }
          for (const logo of Object.values(json.info?.logos ?? {})) {
            if (!assets[logo]) {
              fail(`info.logos names ${logo}, which the build does not produce (put it under src/)`);
            }
          }
        }
      );
    });
  }
}

export default (env = {}) => {
  const production = !env.development;
  const srcDir = resolve(root, typeof env.src === 'string' ? env.src : 'src');
  const distDir = resolve(root, typeof env.dist === 'string' ? env.dist : 'dist');
  const readme = existsSync(join(srcDir, 'README.md')) ? join(srcDir, 'README.md') : join(root, 'README.md');

  return {
    mode: production ? 'production' : 'development',
    context: srcDir,
    // Grafana 13.2 supports current evergreen browsers; ES2020 keeps webpack's own runtime code modern.
    target: ['web', 'es2020'],
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: {
      // The public path first; module.js exports what module.ts exports (`plugin`).
      module: [join(root, 'scripts/grafana-public-path.js'), join(srcDir, 'module')],
    },
    externals: [grafanaExternals],
    module: {
      rules: [
        {
          test: /\.[cm]?[jt]sx?$/,
          exclude: /node_modules/,
          use: {
            // Transpile only: types are checked by `npm run typecheck` (tsconfig.frontend.json).
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
                transform: { react: { runtime: 'automatic', development: !production } },
              },
            },
          },
        },
        {
          test: /\.(png|jpe?g|gif|svg|webp)$/,
          type: 'asset/resource',
          generator: { filename: production ? 'img/[contenthash][ext]' : 'img/[name][ext]' },
        },
        {
          test: /\.(woff2?|eot|ttf|otf)$/,
          type: 'asset/resource',
          generator: { filename: production ? 'fonts/[contenthash][ext]' : 'fonts/[name][ext]' },
        },
      ],
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      modules: [join(root, 'node_modules'), 'node_modules'],
    },
    resolveLoader: { modules: [join(root, 'node_modules'), 'node_modules'] },
    output: {
      path: distDir,
      filename: '[name].js',
      chunkFilename: production ? '[name].js?_cache=[contenthash]' : '[name].js',
      library: { type: 'amd' },
      // The fallback; scripts/grafana-public-path.js sets the real one at runtime.
      publicPath: `public/plugins/${pluginId}/`,
      uniqueName: pluginId,
      clean: { keep: (path) => KEEP_IN_DIST.test(path.replace(/\\/g, '/')) },
    },
    optimization: {
      minimize: production,
      minimizeOptions: {
        javascript: { compress: { passes: 2, drop_console: ['log', 'info'] }, format: { comments: false } },
      },
    },
    cache: {
      type: 'filesystem',
      cacheDirectory: join(root, 'node_modules/.cache/webpack'),
      // One cache per mode and source folder (--env src=… builds do not evict the usual one).
      name: [production ? 'production' : 'development', ...(env.src ? [hash(srcDir)] : [])].join('-'),
      buildDependencies: {
        config: [fileURLToPath(import.meta.url), join(root, 'scripts/grafana-shared-modules.json')],
      },
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: pluginJsonPath, to: 'plugin.json', transform: (content) => replaceTokens(content.toString()) },
          // As is: the README documents the %TOKEN%s themselves.
          { from: readme, to: 'README.md' },
          { from: join(root, 'CHANGELOG.md'), to: '.', noErrorOnMissing: true },
          { from: join(root, 'LICENSE'), to: '.', noErrorOnMissing: true },
          { from: 'img/**/*', context: srcDir, to: '.', noErrorOnMissing: true },
        ],
      }),
      new CheckPluginJson(),
    ],
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 1024 * 1024, maxAssetSize: 1024 * 1024 },
    stats: production ? { preset: 'errors-warnings', assets: true, assetsSort: 'name', colors: false } : 'minimal',
  };
};
