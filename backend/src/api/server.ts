/**
 * A Prometheus-compatible HTTP query API on node:http: `/api/v1/query` and `/api/v1/query_range`
 * (GET, or POST with a form body), the metadata endpoints (`labels`, `label/<name>/values`,
 * `series`), and `/-/healthy` / `/-/ready`. Parameters, status codes, error texts and the JSON
 * shape follow Prometheus' web/api/v1, so Prometheus clients (Grafana's Prometheus datasource,
 * promtool, the conformance harness) can talk to Sluice unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createDeflate, createGzip, deflate, gzip } from 'node:zlib';

import { metadataResponse } from '../datasource/metadata';
import { QueryError, type QueryErrorType, type QueryOptions, type QueryResult } from '../engine/api';
import { QueryError as RuntimeQueryError, errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import type { Storage } from '../storage';
import { errorJson, limitAnnotations } from './format';
import { recycleChunk, successBody, truncatedByLimit } from './json-body';
import { primeQueryPath } from './prime';
import { ParamError, parseInstantParams, parseRangeParams, type FormValue } from './params';

/** What the API needs from the engine (PromQLEngine has exactly these). */
export interface QueryEngineLike {
  instantQuery(query: string, timeMs: number, opts?: QueryOptions): Promise<QueryResult>;
  rangeQuery(query: string, startMs: number, endMs: number, stepMs: number, opts?: QueryOptions): Promise<QueryResult>;
}

export interface QueryApiOptions {
  engine: QueryEngineLike;
  /** `host:port`; port 0 picks a free port. */
  listen: string;
  /** The store behind the metadata endpoints; a function because a test-mode reset replaces it. */
  storage?: () => Pick<Storage, 'select' | 'labelNames' | 'labelValues'>;
  /** Test mode only: `POST /-/reset` calls this (the endpoint does not exist otherwise). */
  reset?: () => Promise<void>;
  /**
   * Prometheus returns at most 10 warnings and 10 infos, then "N more … omitted"; 0 returns all (the
   * conformance harness compares every annotation).
   */
  maxAnnotations?: number;
  logger?: Logger;
  /** The default evaluation time of an instant query (ms); tests pin it. */
  now?: () => number;
}

export interface QueryApiServer {
  /** `host:port` actually listened on. */
  address: string;
  close(): Promise<void>;
}

/** Prometheus' errorType → HTTP status (web/api/v1 getDefaultErrorCode). */
const STATUS: Record<QueryErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
};

/** An API error: Prometheus' errorType and error text. */
class ApiError extends Error {
  constructor(
    readonly type: QueryErrorType,
    message: string
  ) {
    super(message);
  }
}

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** Go's default form-size limit for url-encoded bodies (net/http maxFormSize). */
const MAX_FORM_BYTES = 10 << 20;

export async function startQueryApi(options: QueryApiOptions): Promise<QueryApiServer> {
  const { engine, logger } = options;
  const maxAnnotations = options.maxAnnotations ?? 10;
  const now = options.now ?? Date.now;
  const [host, port] = parseListen(options.listen);
  await primeQueryPath();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.error('query API: internal error', { error: errorMessage(error), stack: (error as Error)?.stack });
      if (!res.headersSent) {
        void send(res, 500, errorJson('internal', errorMessage(error)));
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sluice.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/-/healthy' || path === '/-/ready') {
      return sendText(res, 200, path === '/-/healthy' ? 'Sluice is Healthy.\n' : 'Sluice is Ready.\n');
    }
    if (path === '/-/reset' && options.reset) {
      if (method !== 'POST') return methodNotAllowed(req, res, 'POST');
      await options.reset();
      return send(res, 200, '{"status":"success"}');
    }
    if (!path.startsWith('/api/v1/')) {
      return notFound(req, res);
    }
    const route = path.slice('/api/v1/'.length);
    const isQuery = route === 'query' || route === 'query_range';
    const isMetadata = route === 'labels' || route === 'series' || /^label\/[^/]+\/values$/.test(route);
    if (!isQuery && !isMetadata) {
      return notFound(req, res);
    }
    // As in Prometheus: label values are GET only; everything else also takes a POSTed form.
    const allowsPost = !route.startsWith('label/');
    if (method !== 'GET' && !(method === 'POST' && allowsPost)) {
      return methodNotAllowed(req, res, allowsPost ? 'GET, POST' : 'GET');
    }
    const body = method === 'POST' ? await readForm(req) : undefined;
    if (body === null) {
      return send(res, 400, errorJson('bad_data', 'http: POST too large'));
    }
    // Go's r.FormValue: body parameters first, then the URL's.
    const form: FormValue = (name) => body?.get(name) ?? url.searchParams.get(name) ?? '';

    if (isMetadata) {
      return metadata(res, route, url, body);
    }
    const controller = new AbortController();
    let timedOut = false;
    // 'close' on the response before it finished writing means the client went away: stop the query.
    const onClose = () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    };
    res.once('close', onClose);
    let timer: NodeJS.Timeout | undefined;
    try {
      const params = route === 'query' ? parseInstantParams(form, now()) : parseRangeParams(form);
      if (params.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, params.timeoutMs);
      }
      const opts: QueryOptions = { signal: controller.signal, lookbackDeltaMs: params.lookbackDeltaMs };
      const started = performance.now();
      const result =
        'timeMs' in params
          ? await engine.instantQuery(params.query, params.timeMs, opts)
          : await engine.rangeQuery(params.query, params.startMs, params.endMs, params.stepMs, opts);
      if (controller.signal.aborted && !timedOut) {
        return; // nobody is listening any more
      }
      const warnings = limitAnnotations(result.warnings, maxAnnotations, 'warning');
      if (truncatedByLimit(result, params.limit)) warnings.push('results truncated due to limit');
      const infos = limitAnnotations(result.infos, maxAnnotations, 'info');
      await sendChunks(res, 200, successBody(result, params.limit, warnings, infos));
      logger?.debug('query', { route, query: params.query, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const apiError = toApiError(error, timedOut, controller.signal.aborted);
      if (apiError.type === 'internal') {
        logger?.error('query failed with an internal error', {
          error: apiError.message,
          stack: (error as Error)?.stack,
        });
      }
      if (!res.destroyed) {
        await send(res, STATUS[apiError.type], errorJson(apiError.type, apiError.message));
      }
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
    }
  }

  function metadata(res: ServerResponse, route: string, url: URL, body: URLSearchParams | undefined): Promise<void> {
    if (!options.storage) {
      return send(res, 404, errorJson('not_found', 'this server has no store for metadata'));
    }
    // The datasource's metadata code reads the URL's parameters; put the form body's there too.
    const merged = new URLSearchParams(url.searchParams);
    for (const [k, v] of body ?? []) merged.append(k, v);
    try {
      const data = metadataResponse(options.storage() as Storage, route, `${url.pathname}?${merged.toString()}`);
      return send(res, 200, JSON.stringify(data));
    } catch (error) {
      if (error instanceof RuntimeQueryError) {
        return send(res, 400, errorJson('bad_data', error.message));
      }
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return {
    address: `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The engine's errors carry Prometheus' errorType already. Parse and type errors (bad_data) get the
 * `invalid parameter "query": ` prefix Prometheus' API puts in front of every error from building a
 * query; a cancellation caused by the `timeout` parameter is a timeout, as for Prometheus' deadline.
 */
function toApiError(error: unknown, timedOut: boolean, aborted: boolean): ApiError {
  if (error instanceof ParamError) {
    return new ApiError('bad_data', error.message);
  }
  const isAbort = error instanceof Error && error.name === 'AbortError';
  if (timedOut && (isAbort || (error instanceof QueryError && error.type === 'canceled'))) {
    return new ApiError('timeout', 'query timed out in expression evaluation');
  }
  if (error instanceof QueryError) {
    const prefix = 'invalid parameter "query": ';
    if (error.type === 'bad_data' && !error.message.startsWith(prefix)) {
      return new ApiError('bad_data', prefix + error.message);
    }
    return new ApiError(error.type, error.message);
  }
  if (isAbort || aborted) {
    return new ApiError('canceled', 'query was canceled in expression evaluation');
  }
  return new ApiError('internal', errorMessage(error));
}

/**
 * A JSON answer, compressed as Prometheus' API compresses every answer (httputil.CompressionHandler):
 * the first of gzip or deflate named in Accept-Encoding, no q-values, `Vary: Accept-Encoding` always.
 * Asynchronous, on the thread pool, so a big result does not stall other queries.
 */
async function send(res: ServerResponse, status: number, body: string | Buffer): Promise<void> {
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  let payload: Buffer = typeof body === 'string' ? Buffer.from(body) : body;
  const encoding = acceptedEncoding(res.req?.headers['accept-encoding']);
  if (encoding !== undefined) {
    payload = await (encoding === 'gzip' ? gzipAsync(payload) : deflateAsync(payload));
    headers['Content-Encoding'] = encoding;
  }
  headers['Content-Length'] = payload.length;
  if (res.destroyed) return;
  res.writeHead(status, headers);
  res.end(payload);
}

/**
 * A body that may be large, written chunk by chunk as it is produced (chunked transfer encoding, and
 * compressed as a stream), waiting for the socket to drain; a body of one chunk goes out as send() does.
 */
async function sendChunks(res: ServerResponse, status: number, chunks: Iterable<Buffer>): Promise<void> {
  const it = chunks[Symbol.iterator]();
  const first = it.next();
  const second = first.done ? first : it.next();
  if (second.done) {
    return send(res, status, first.done ? Buffer.alloc(0) : first.value);
  }
  const encoding = acceptedEncoding(res.req?.headers['accept-encoding']);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  if (encoding !== undefined) headers['Content-Encoding'] = encoding;
  if (res.destroyed) return;
  res.writeHead(status, headers);
  const zip = encoding === undefined ? undefined : encoding === 'gzip' ? createGzip() : createDeflate();
  zip?.pipe(res);
  const sink: NodeJS.WritableStream = zip ?? res;
  const write = async (chunk: Buffer): Promise<void> => {
    // once written out (to the socket, or into zlib), the chunk's memory serves the next bodies
    const written = sink.write(chunk, (error?: Error | null) => {
      if (!error) recycleChunk(chunk);
    });
    if (!written && !res.destroyed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          sink.off('drain', done);
          res.off('close', done);
          resolve();
        };
        sink.once('drain', done);
        res.once('close', done);
      });
    }
  };
  await write(first.value as Buffer);
  await write(second.value);
  for (let next = it.next(); !next.done && !res.destroyed; next = it.next()) await write(next.value);
  sink.end();
}

function acceptedEncoding(header: string | string[] | undefined): 'gzip' | 'deflate' | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  for (const token of (text ?? '').split(',')) {
    const name = token.trim();
    if (name === 'gzip' || name === 'deflate') return name;
  }
  return undefined;
}

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendText(res, 404, '404 page not found\n');
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  sendText(res, 405, 'Method Not Allowed\n', { Allow: allow });
}

/** An url-encoded POST body as form values; other content types carry no form (as in Go); null when too large. */
function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined | null> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_FORM_BYTES) return resolve(null);
      if (type !== 'application/x-www-form-urlencoded') return resolve(undefined);
      resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
  });
}

export function parseListen(listen: string): [string, number] {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(listen);
  if (!m || Number(m[2]) > 65535) {
    throw new Error(`listen must be host:port, got ${JSON.stringify(listen)}`);
  }
  return [m[1], Number(m[2])];
}
