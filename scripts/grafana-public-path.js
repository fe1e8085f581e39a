// Runs first in dist/module.js (see webpack.config.mjs) so that webpack loads lazy chunks and assets
// from the folder Grafana really served module.js from, which is not public/plugins/<id>/ when
// Grafana runs under a sub-path or serves plugins from a CDN. `amd-module` is an external: the AMD
// loader's `module` object, whose uri is the URL of module.js. Without it, output.publicPath stays.
import amdModule from 'amd-module';

if (amdModule && typeof amdModule.uri === 'string') {
  // eslint-disable-next-line no-undef -- webpack's free variable for the runtime public path
  __webpack_public_path__ = amdModule.uri.slice(0, amdModule.uri.lastIndexOf('/') + 1);
}
