/**
 * The Sluice backend process: started by Grafana through the gpx_sluice launcher (plugin mode), or
 * on its own next to Grafana with --listen HOST:PORT (sidecar mode).
 */
import { DEFAULT_CHUNKING } from './runtime/chunked/options';
import { serve, ServeMode } from './runtime/serve';
import { DEFAULT_MAX_UNARY_BYTES } from './runtime/server';
import { SluiceDatasource, StoreState } from './datasource/datasource';
import { seedDemoData } from './datasource/demo-data';
import { parseSettings } from './datasource/settings';
import { registerStoreMetrics } from './datasource/store-metrics';
import { RuntimeMetrics } from './runtime/metrics';
import { STORE_ENV, storeSettingsFromEnv } from './datasource/store-settings';
import type { QueryDataRequest } from './runtime/handlers';
import { startIngestServer } from './ingest';
import { errorMessage } from './runtime/errors';
import type { Logger } from './runtime/log';
import { openStorage, Storage } from './storage';

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

/**
 * Opens the embedded store and its remote-write receiver. A store that cannot open (no data
 * directory, a directory we may not write, a port in use) leaves the backend running without it:
 * synthetic queries still work and the rest answer 503 with the reason.
 */
async function openStore(logger: Logger, metrics: RuntimeMetrics): Promise<StoreState> {
  let settings;
  try {
    settings = storeSettingsFromEnv();
  } catch (error) {
    return { problem: errorMessage(error) };
  }
  if (!settings.dataDir) {
    return { problem: `no data directory is configured (${STORE_ENV.dataDir}, [plugin.sluice-datasource] data_dir)` };
  }
  let storage;
  try {
    storage = await openStorage({ dataDir: settings.dataDir, ...settings.storage });
  } catch (error) {
    logger.error('the embedded store did not open', { dataDir: settings.dataDir, error: errorMessage(error) });
    return { problem: `the store in ${settings.dataDir} did not open: ${errorMessage(error)}` };
  }
  logger.info('embedded store open', { dataDir: settings.dataDir, ...storage.stats() });
  if (settings.demoData && storage.stats().series === 0) {
    const started = Date.now();
    try {
      const samples = await seedDemoData(storage, Date.now());
      await storage.checkpoint();
      logger.info('seeded demo data into the empty store', { samples, ms: Date.now() - started });
    } catch (error) {
      logger.error('seeding demo data failed; the store stays as it is', { error: errorMessage(error) });
    }
  }
  scheduleMaintenance(storage, settings.maintenanceIntervalMs, logger);
  if (!settings.ingestAddress) {
    registerStoreMetrics(metrics.registry, storage);
    return { storage };
  }
  try {
    const ingest = await startIngestServer({
      storage,
      listen: settings.ingestAddress,
      bearerToken: settings.ingestToken,
      logger,
    });
    logger.info('remote write receiver listening', { address: `http://${ingest.address}/api/v1/write` });
    registerStoreMetrics(metrics.registry, storage, ingest.metrics);
    return { storage, ingestAddress: ingest.address };
  } catch (error) {
    logger.error('the remote write receiver did not start', { error: errorMessage(error) });
    registerStoreMetrics(metrics.registry, storage);
    return { storage, problem: `remote write receiver not started: ${errorMessage(error)}` };
  }
}

/** Retention by time, then a checkpoint that truncates the WAL, on a timer. */
function scheduleMaintenance(storage: Storage, intervalMs: number, logger: Logger): void {
  const timer = setInterval(() => {
    storage.applyRetention(Date.now());
    storage.checkpoint().then(
      () => logger.debug('store maintenance done', { ...storage.stats() }),
      (error: unknown) => logger.error('store checkpoint failed', { error: errorMessage(error) })
    );
  }, intervalMs);
  timer.unref();
}

const mode = parseMode(process.argv.slice(2));
const settingsOf = (request: QueryDataRequest) =>
  parseSettings(request.pluginContext.dataSourceInstanceSettings?.jsonData);

const metrics = new RuntimeMetrics();

void serve({
  mode,
  metrics,
  handlers: async (logger) => new SluiceDatasource(mode.kind, await openStore(logger, metrics)),
  chunkingFor: (request) => {
    try {
      return settingsOf(request);
    } catch {
      // The handler answers each query with the settings error.
      return DEFAULT_CHUNKING;
    }
  },
  maxUnaryBytesFor: (request) => {
    try {
      return settingsOf(request).maxUnaryBytes;
    } catch {
      return DEFAULT_MAX_UNARY_BYTES;
    }
  },
});
