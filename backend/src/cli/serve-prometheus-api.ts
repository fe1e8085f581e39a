/**
 * `sluice serve-prometheus-api`: the embedded store, its remote-write receiver and the PromQL engine
 * behind a Prometheus-compatible HTTP query API, as one process. Prints one JSON line with the
 * addresses actually listened on ({"query":"HOST:PORT","write":"HOST:PORT"}) and logs to stderr.
 *
 * `--test-mode` is for the promqltest conformance harness: promqltest data sits at the Unix epoch and
 * is loaded series by series, so the store accepts any timestamp in any order and keeps everything;
 * nothing is fsynced; `POST /-/reset` empties the store; and annotations are not capped at 10.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startQueryApi, parseDurationNs, ResettableStore, type QueryApiServer } from '../api';
import { seedDemoData } from '../datasource/demo-data';
import { PromQLEngine, type EngineOptions } from '../engine';
import { startIngestServer, type IngestServer } from '../ingest';
import { errorMessage } from '../runtime/errors';
import { createLogger, isLogLevel, type Logger } from '../runtime/log';
import type { StorageOptions } from '../storage';

export interface ServePrometheusApiArgs {
  dataDir?: string;
  listen?: string;
  ingestListen?: string;
  noDemoData?: boolean;
  testMode?: boolean;
  exitWithStdin?: boolean;
  lookbackDelta?: string;
  queryTimeout?: string;
  maxSamples?: string;
  retention?: string;
  fsync?: string;
  outOfOrderWindow?: string;
  logLevel?: string;
}

export const SERVE_USAGE = `serve-prometheus-api (store + remote write + PromQL over Prometheus' HTTP API):
  --data-dir DIR            the store (default ./sluice-data)
  --listen HOST:PORT        the query API (default 127.0.0.1:9090; port 0 picks one)
  --ingest-listen HOST:PORT the remote-write receiver (default 127.0.0.1:9201; off turns it off)
  --no-demo-data            do not seed demo series into an empty store
  --lookback-delta D --query-timeout D --max-samples N   engine options (5m, 2m, 50000000)
  --retention D --fsync always|interval|never --out-of-order-window D   store options (15d, always, 0)
  --test-mode               for the promqltest harness: any timestamp accepted, nothing dropped or
                            fsynced, no demo data, POST /-/reset empties the store (DIR is deleted;
                            default a temporary directory)
  --exit-with-stdin         exit when stdin closes (a harness that dies takes the server with it)
  --log-level LEVEL         debug, info, warn, error (default info)
prints {"query":"HOST:PORT","write":"HOST:PORT"} as its only stdout line`;

/** Milliseconds of a Prometheus duration or float seconds (15s, 1h30m, 0.5). */
function durationMs(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  try {
    const ms = Number(parseDurationNs(text) / 1_000_000n);
    if (ms < 0) throw new Error('must not be negative');
    return ms;
  } catch (error) {
    throw new Error(`--${flag}: ${errorMessage(error)}`);
  }
}

export function storageOptions(args: ServePrometheusApiArgs): StorageOptions {
  const dataDir = resolve(args.dataDir ?? 'sluice-data');
  if (args.testMode) {
    // promqltest loads start at t=0 (1970) and may arrive in any order across loads.
    return { dataDir, retentionMs: Infinity, outOfOrderWindowMs: Infinity, maxFutureMs: Infinity, fsync: 'never' };
  }
  const fsync = args.fsync ?? 'always';
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never') {
    throw new Error('--fsync must be always, interval or never');
  }
  return {
    dataDir,
    fsync,
    retentionMs: durationMs('retention', args.retention, 15 * 86_400_000),
    outOfOrderWindowMs: durationMs('out-of-order-window', args.outOfOrderWindow, 0),
  };
}

export function engineOptions(args: ServePrometheusApiArgs): Partial<EngineOptions> {
  const options: Partial<EngineOptions> = {};
  if (args.lookbackDelta !== undefined) options.lookbackDeltaMs = durationMs('lookback-delta', args.lookbackDelta, 0);
  if (args.queryTimeout !== undefined) options.timeoutMs = durationMs('query-timeout', args.queryTimeout, 0);
  if (args.maxSamples !== undefined) {
    const n = Number(args.maxSamples);
    if (!Number.isInteger(n) || n <= 0) throw new Error('--max-samples must be a positive whole number');
    options.maxSamples = n;
  }
  return options;
}

/** Runs until SIGINT/SIGTERM (or stdin closes with --exit-with-stdin); resolves with the exit code. */
export async function servePrometheusApi(args: ServePrometheusApiArgs): Promise<number> {
  const level = args.logLevel ?? 'info';
  if (!isLogLevel(level)) {
    throw new Error('--log-level must be trace, debug, info, warn or error');
  }
  const logger = createLogger({ level, module: 'sluice.prometheus-api' });
  const storeOpts = storageOptions(args);
  const engineOpts = engineOptions(args);

  // Test mode deletes its directory (at start, so that nothing an earlier run left leaks into the
  // first test, and on every reset); without --data-dir it uses a temporary one, never ./sluice-data.
  const scratch =
    args.testMode && args.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'sluice-test-mode-')) : undefined;
  if (scratch !== undefined) storeOpts.dataDir = join(scratch, 'data');
  if (args.testMode) rmSync(storeOpts.dataDir, { recursive: true, force: true });
  const store = await ResettableStore.open(storeOpts);
  logger.info('store open', { dataDir: storeOpts.dataDir, testMode: args.testMode === true, ...store.current.stats() });
  if (!args.testMode && !args.noDemoData && store.current.stats().series === 0) {
    const samples = await seedDemoData(store.current, Date.now());
    await store.current.checkpoint();
    logger.info('seeded demo data into the empty store', { samples });
  }
  const maintenance = args.testMode ? undefined : scheduleMaintenance(store, logger);

  // Only test mode replaces the store (reset), so only there do the engine and the receiver go
  // through the ResettableStore; otherwise they get the store itself (the receiver's fast path needs
  // the store's own lookup and appendBatch).
  const target = args.testMode ? store : store.current;
  const engine = new PromQLEngine(target, engineOpts);
  let ingest: IngestServer | undefined;
  let api: QueryApiServer | undefined;
  const shutdown = async () => {
    clearInterval(maintenance);
    await Promise.allSettled([api?.close(), ingest?.close()]);
    await store.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const ingestListen = args.ingestListen ?? '127.0.0.1:9201';
    if (ingestListen !== 'off') {
      ingest = await startIngestServer({ storage: target, listen: ingestListen, logger });
    }
    api = await startQueryApi({
      engine,
      listen: args.listen ?? '127.0.0.1:9090',
      storage: () => store,
      reset: args.testMode ? () => store.reset() : undefined,
      maxAnnotations: args.testMode ? 0 : 10,
      logger,
    });
  } catch (error) {
    await shutdown();
    throw error;
  }
  process.stdout.write(JSON.stringify({ query: api.address, write: ingest?.address ?? null }) + '\n');
  logger.info('Prometheus query API listening', {
    query: `http://${api.address}/api/v1/query`,
    write: ingest ? `http://${ingest.address}/api/v1/write` : 'off',
  });

  const reason = await new Promise<string>((resolveStop) => {
    process.once('SIGINT', () => resolveStop('SIGINT'));
    process.once('SIGTERM', () => resolveStop('SIGTERM'));
    if (args.exitWithStdin) {
      process.stdin.once('end', () => resolveStop('stdin closed'));
      process.stdin.once('close', () => resolveStop('stdin closed'));
      process.stdin.resume();
    }
  });
  logger.info('shutting down', { reason });
  await shutdown();
  return 0;
}

/** Retention by time, then a checkpoint that truncates the WAL, as the backend process does. */
function scheduleMaintenance(store: ResettableStore, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    store.current.applyRetention(Date.now());
    store.current.checkpoint().catch((error: unknown) => {
      logger.error('store checkpoint failed', { error: errorMessage(error) });
    });
  }, 15 * 60_000);
  timer.unref();
  return timer;
}
