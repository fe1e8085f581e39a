/**
 * The Sluice backend process: started by Grafana through the gpx_sluice launcher (plugin mode), or
 * on its own next to Grafana with --listen HOST:PORT (sidecar mode).
 */
import { DEFAULT_CHUNKING } from './runtime/chunked/options';
import { serve, ServeMode } from './runtime/serve';
import { DEFAULT_MAX_UNARY_BYTES } from './runtime/server';
import { SluiceDatasource } from './datasource/datasource';

const USAGE = `usage: main.js [--listen HOST:PORT | --listen unix:/path]

Without --listen the process expects to be started by Grafana (go-plugin) and prints the handshake.
With --listen it runs as a sidecar; point Grafana's launcher at it with
[plugin.sluice-datasource] sidecar_address = HOST:PORT.`;

function parseMode(args: string[]): ServeMode {
  const at = args.findIndex((a) => a === '--listen' || a.startsWith('--listen='));
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write(USAGE + '\n');
    process.exit(0);
  }
  if (at < 0) {
    if (args.length > 0) {
      process.stderr.write(`unknown arguments: ${args.join(' ')}\n${USAGE}\n`);
      process.exit(2);
    }
    return { kind: 'plugin' };
  }
  const listen = args[at].includes('=') ? args[at].slice('--listen='.length) : args[at + 1];
  if (!listen) {
    process.stderr.write(`--listen needs HOST:PORT\n${USAGE}\n`);
    process.exit(2);
  }
  return { kind: 'sidecar', listen };
}

const mode = parseMode(process.argv.slice(2));
const datasource = new SluiceDatasource(mode.kind);

void serve({
  mode,
  handlers: datasource,
  chunkingFor: (request) => {
    try {
      return datasource.settingsFor(request.pluginContext);
    } catch {
      // The handler answers each query with the settings error.
      return DEFAULT_CHUNKING;
    }
  },
  maxUnaryBytesFor: (request) => {
    try {
      return datasource.settingsFor(request.pluginContext).maxUnaryBytes;
    } catch {
      return DEFAULT_MAX_UNARY_BYTES;
    }
  },
});
