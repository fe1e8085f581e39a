import type { ChunkedDataWriter } from '../runtime/chunked/writer';
import { AccumulatingChunkedDataWriter } from '../runtime/chunked/accumulating';
import { encodeArrowFile, encodeFrameJSON } from '../runtime/frames';
import { errorMessage, isAbortError, QueryError } from '../runtime/errors';
import type {
  CallContext,
  CallResourceHandler,
  CallResourceRequest,
  CallResourceResponseSender,
  CheckHealthHandler,
  CheckHealthRequest,
  CheckHealthResult,
  DataQuery,
  PluginContext,
  QueryChunkedDataHandler,
  QueryDataRequest,
} from '../runtime/handlers';
import { PromQLEngine } from '../engine';
import { parseQueryModel } from './query';
import { handleResource } from './resources';
import { DatasourceSettings, parseSettings } from './settings';
import { parseSamplesQuery, runSamples } from './samples';
import { runPromQL } from './promql';
import { parsePromQLQuery } from './promql-query';
import { parseSyntheticQuery, runSynthetic } from './synthetic';
import type { Storage } from '../storage';
import { VERSION } from './version';

export interface StoreState {
  storage?: Storage;
  /** Why there is no store (shown by health checks and 503 answers). */
  problem?: string;
  ingestAddress?: string;
}

/**
 * The Sluice datasource: routes each query to its query type and streams the results. Only the
 * chunked interface is implemented; the runtime serves QueryData from it.
 */
export class SluiceDatasource implements QueryChunkedDataHandler, CheckHealthHandler, CallResourceHandler {
  /** PromQL engines over the store, one per distinct set of engine settings (usually just one). */
  private readonly engines = new Map<string, PromQLEngine>();

  constructor(
    readonly mode: 'plugin' | 'sidecar' = 'plugin',
    /** The embedded store, when a data directory is configured and it opened. */
    readonly store: StoreState = { storage: undefined, problem: 'no data directory is configured' }
  ) {}

  settingsFor(pluginContext: PluginContext): DatasourceSettings {
    return parseSettings(pluginContext.dataSourceInstanceSettings?.jsonData);
  }

  async queryChunkedData(request: QueryDataRequest, writer: ChunkedDataWriter, ctx: CallContext): Promise<void> {
    let settings: DatasourceSettings;
    try {
      settings = this.settingsFor(request.pluginContext);
    } catch (error) {
      for (const query of request.queries) {
        await writer.writeError(query.refId, errorInfo(error));
      }
      return;
    }
    await runLimited(request.queries, settings.maxConcurrentQueries, async (query) => {
      try {
        await this.runQuery(query, settings, writer, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted || isAbortError(error)) {
          throw error;
        }
        if (!(error instanceof QueryError)) {
          ctx.logger.error('query failed', { refId: query.refId, error: errorMessage(error) });
        }
        await writer.writeError(query.refId, errorInfo(error));
      }
    });
  }

  private async runQuery(
    query: DataQuery,
    settings: DatasourceSettings,
    writer: ChunkedDataWriter,
    signal: AbortSignal
  ): Promise<void> {
    const model = parseQueryModel(query);
    switch (model.queryType) {
      case 'synthetic':
        return runSynthetic(query, parseSyntheticQuery(model, settings), writer, model.chunkRows);
      case 'samples':
        return runSamples(query, parseSamplesQuery(model), this.requireStorage(), writer, model.chunkRows);
      case 'promql':
      case 'promql-instant': {
        const promql = parsePromQLQuery(model);
        const engine = this.engineFor(settings);
        return runPromQL(query, promql, { engine, settings, writer, signal, chunkRows: model.chunkRows });
      }
    }
  }

  /** The engine for these settings; the store must be there. */
  engineFor(settings: DatasourceSettings): PromQLEngine {
    const storage = this.requireStorage();
    const options = {
      lookbackDeltaMs: settings.lookbackDeltaMs,
      timeoutMs: settings.queryTimeoutMs,
      maxSamples: settings.queryMaxSamples,
    };
    const key = JSON.stringify(options);
    let engine = this.engines.get(key);
    if (!engine) {
      // Settings change rarely; a bound keeps a datasource edited again and again from piling up engines.
      if (this.engines.size >= 16) {
        this.engines.clear();
      }
      engine = new PromQLEngine(storage, options);
      this.engines.set(key, engine);
    }
    return engine;
  }

  storeStatus(): Record<string, unknown> {
    const { storage, problem, ingestAddress } = this.store;
    return storage ? { available: true, ingestAddress, ...storage.stats() } : { available: false, problem };
  }

  /** The store, or a 503 that says why there is none. */
  requireStorage(): Storage {
    if (!this.store.storage) {
      throw new QueryError(503, `the embedded store is not available: ${this.store.problem}`, 'plugin');
    }
    return this.store.storage;
  }

  async checkHealth(request: CheckHealthRequest, ctx: CallContext): Promise<CheckHealthResult> {
    let settings: DatasourceSettings;
    try {
      settings = this.settingsFor(request.pluginContext);
    } catch (error) {
      return { status: 'error', message: errorMessage(error) };
    }
    // Push a few rows through the same writer and both encoders a query uses.
    const writer = new AccumulatingChunkedDataWriter('arrow', settings, ctx.signal, settings.maxUnaryBytes);
    const probe: DataQuery = {
      refId: 'health',
      queryType: 'synthetic',
      maxDataPoints: 0,
      intervalMs: 0,
      timeRange: { from: Date.now(), to: Date.now() },
      json: new Uint8Array(),
    };
    await runSynthetic(probe, { rows: 10, seed: 1 }, writer, undefined);
    const frame = writer.responses().get('health')?.frames[0];
    if (!frame || frame.length !== 10 || encodeArrowFile(frame).length === 0 || !encodeFrameJSON(frame, 'all')) {
      return { status: 'error', message: 'the frame pipeline produced no data' };
    }
    const store = this.store.storage
      ? `store: ${this.store.storage.stats().series} series` +
        (this.store.ingestAddress ? `, remote write at http://${this.store.ingestAddress}/api/v1/write` : '')
      : `no embedded store (${this.store.problem})`;
    return {
      status: 'ok',
      message:
        `Sluice ${VERSION} is working (${this.mode} mode): chunks of ${settings.chunkRows} rows ` +
        `(at most ${settings.maxChunkBytes} bytes, flushed every ${settings.flushIntervalMs} ms); ${store}`,
      details: { version: VERSION, mode: this.mode, settings, store: this.storeStatus() },
    };
  }

  callResource(request: CallResourceRequest, sender: CallResourceResponseSender, ctx: CallContext): Promise<void> {
    return handleResource(this, request, sender, ctx);
  }
}

export function errorInfo(error: unknown): { status: number; message: string; source: 'plugin' | 'downstream' } {
  if (error instanceof QueryError) {
    return { status: error.status, message: error.message, source: error.source };
  }
  return { status: 500, message: errorMessage(error), source: 'plugin' };
}

/** Runs `task` over `items` with at most `limit` at a time, in order of start. */
async function runLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      await task(items[next++]);
    }
  });
  await Promise.all(workers);
}
