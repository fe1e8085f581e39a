import { StreamingChunkedDataWriter } from '../runtime/chunked/streaming';
import { errorMessage, isAbortError, QueryError } from '../runtime/errors';
import type {
  CallContext,
  CallResourceRequest,
  CallResourceResponseSender,
  DataQuery,
  QueryDataRequest,
} from '../runtime/handlers';
import type { SluiceDatasource } from './datasource';
import { NdjsonQueryStream } from './ndjson-stream';
import { metadataResponse } from './metadata';
import { variableValues } from './variables';
import { VERSION } from './version';

const NDJSON = { 'Content-Type': ['application/x-ndjson'], 'Cache-Control': ['no-store'] };
const JSON_HEADERS = { 'Content-Type': ['application/json'] };

/**
 * Resource endpoints (`/api/datasources/uid/<uid>/resources/<path>`). `query` streams a chunked
 * query as NDJSON, one line per chunk, because Grafana flushes every CallResource message to the
 * browser as it arrives; `variables` answers template-variable queries; `settings` tells the config
 * editor what the backend runs with.
 */
export async function handleResource(
  datasource: SluiceDatasource,
  request: CallResourceRequest,
  sender: CallResourceResponseSender,
  ctx: CallContext
): Promise<void> {
  const path = request.path.replace(/\?.*$/, '').replace(/\/+$/, '');
  const route = `${request.method.toUpperCase()} ${path}`;
  try {
    switch (route) {
      case 'POST query':
        return await streamQuery(datasource, request, sender, ctx);
      case 'GET settings':
        return await sendJSON(sender, 200, {
          mode: datasource.mode,
          version: VERSION,
          settings: datasource.settingsFor(request.pluginContext),
          store: datasource.storeStatus(),
        });
      case 'GET labels':
      case 'GET series':
        return await sendJSON(sender, 200, metadataResponse(datasource.requireStorage(), path, request.url));
      case 'POST variables': {
        const settings = datasource.settingsFor(request.pluginContext);
        const values = await variableValues(request.body, {
          storage: () => datasource.requireStorage(),
          engine: () => datasource.engineFor(settings),
          settings,
          signal: ctx.signal,
        });
        return await sendJSON(sender, 200, values);
      }
      default:
        if (/^GET label\/[^/]+\/values$/.test(route)) {
          return await sendJSON(sender, 200, metadataResponse(datasource.requireStorage(), path, request.url));
        }
        return await sendJSON(sender, 404, {
          error: `no resource ${route}; try POST query, POST variables, GET settings, GET labels, GET label/<name>/values or GET series`,
        });
    }
  } catch (error) {
    if (error instanceof QueryError) {
      return sendJSON(sender, error.status, { error: error.message });
    }
    throw error;
  }
}

/** Body: Grafana's /api/ds/query shape, `{from, to, queries: [{refId, queryType, …model}]}`. */
export function parseQueryBody(request: CallResourceRequest): QueryDataRequest {
  let body: { from?: unknown; to?: unknown; queries?: unknown };
  try {
    body = JSON.parse(Buffer.from(request.body).toString('utf8') || '{}');
  } catch (error) {
    throw QueryError.badRequest(`request body is not valid JSON: ${errorMessage(error)}`);
  }
  if (!Array.isArray(body.queries) || body.queries.length === 0) {
    throw QueryError.badRequest('request body needs a non-empty "queries" array');
  }
  const now = Date.now();
  const from = epochMs('from', body.from, now - 60 * 60 * 1000);
  const to = epochMs('to', body.to, now);
  const queries: DataQuery[] = body.queries.map((raw: unknown, index: number) => {
    const model = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    return {
      refId: typeof model.refId === 'string' && model.refId ? model.refId : String.fromCharCode(65 + (index % 26)),
      queryType: typeof model.queryType === 'string' ? model.queryType : '',
      maxDataPoints: Number(model.maxDataPoints) || 0,
      intervalMs: Number(model.intervalMs) || 0,
      timeRange: { from, to },
      json: Buffer.from(JSON.stringify(model)),
    };
  });
  return { pluginContext: request.pluginContext, headers: {}, queries, format: 'json' };
}

async function streamQuery(
  datasource: SluiceDatasource,
  request: CallResourceRequest,
  sender: CallResourceResponseSender,
  ctx: CallContext
): Promise<void> {
  const query = parseQueryBody(request);
  const settings = datasource.settingsFor(request.pluginContext);
  let first = true;
  const stream = new NdjsonQueryStream((line) => {
    const message = first ? { status: 200, headers: NDJSON, body: line } : { body: line };
    first = false;
    return sender.send(message);
  });
  const writer = new StreamingChunkedDataWriter('json', stream, settings, ctx.signal);
  try {
    await datasource.queryChunkedData(query, writer, ctx);
    await writer.close();
  } catch (error) {
    writer.dispose();
    if (first || ctx.signal.aborted || isAbortError(error)) {
      throw error;
    }
    // The status line has gone out: say what broke in the stream itself, and send no end line.
    ctx.logger.error('query stream failed', { error: errorMessage(error) });
    await stream.fail(errorMessage(error));
    return;
  }
  await stream.end();
}

function epochMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const ms = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(ms)) {
    throw QueryError.badRequest(`"${name}" must be epoch milliseconds, got ${JSON.stringify(value)}`);
  }
  return Math.trunc(ms);
}

function sendJSON(sender: CallResourceResponseSender, status: number, body: unknown): Promise<void> {
  return sender.send({ status, headers: JSON_HEADERS, body: JSON.stringify(body) });
}
