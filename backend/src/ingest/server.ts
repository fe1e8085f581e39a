/**
 * The Prometheus remote-write receiver: `POST /api/v1/write`, remote write 1.0 and 2.0, Snappy only.
 * A request is all-or-nothing up to the store: it is read, decoded and validated completely before the
 * store sees any of it.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { toSeriesSamples } from './batch';
import { checkContentEncoding, negotiateVersion, type RemoteWriteVersion } from './content-negotiation';
import type { DecodedRequest } from './decode-common';
import { decodeV1 } from './decode-v1';
import { decodeV2 } from './decode-v2';
import { IngestError } from './errors';
import { resolveLimits, type IngestLimits } from './limits';
import { newMetrics, type IngestMetrics } from './metrics';
import { primeRequestPath } from './prime';
import { ScratchBuffer, snappyUncompress } from './snappy';
import type { AppendOutcome, IngestStorage, SeriesIndex } from './store-api';

export const WRITE_PATH = '/api/v1/write';

export interface IngestLogger {
  warn(msg: string, fields: Record<string, unknown>): void;
}

export interface IngestServerOptions extends Partial<IngestLimits> {
  storage: IngestStorage;
  /** `host:port`; port 0 picks a free port. Default 127.0.0.1:9201. */
  listen?: string;
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  bearerToken?: string;
  logger?: IngestLogger;
}

export interface IngestServer {
  /** `host:port` actually listened on. */
  address: string;
  metrics: IngestMetrics;
  close(): Promise<void>;
}

const HEADER_SAMPLES = 'X-Prometheus-Remote-Write-Samples-Written';
const HEADER_HISTOGRAMS = 'X-Prometheus-Remote-Write-Histograms-Written';
const HEADER_EXEMPLARS = 'X-Prometheus-Remote-Write-Exemplars-Written';

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const limits = resolveLimits(options);
  const metrics = newMetrics();
  const { storage, logger } = options;
  const token = options.bearerToken === undefined ? undefined : Buffer.from(`Bearer ${options.bearerToken}`);
  const [host, port] = parseListen(options.listen ?? '127.0.0.1:9201');
  // The fast path needs all three: known series are found by their raw label bytes and appended by handle.
  const appendBatch = storage.appendBatch?.bind(storage);
  const series: SeriesIndex | undefined =
    appendBatch !== undefined && storage.lookup !== undefined && storage.lookupBytes !== undefined
      ? (storage as SeriesIndex)
      : undefined;
  const scratch = new ScratchBuffer();
  await primeRequestPath(limits);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Only reached for bugs in the handler itself; storage errors are handled in handle().
      logger?.warn('remote write: internal error', { error: String(err) });
      if (!res.headersSent) {
        answer(res, 500, 'internal error');
      } else {
        res.destroy();
      }
    });
  });

  function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    metrics.requestsByStatus[status] = (metrics.requestsByStatus[status] ?? 0) + 1;
    res.writeHead(status, { ...headers, ...(body ? { 'Content-Type': 'text/plain; charset=utf-8' } : {}) });
    res.end(body);
  }

  /** Answers before the body was read: close the connection and discard what the client still sends. */
  function answerEarly(req: IncomingMessage, res: ServerResponse, err: IngestError, headers = {}): void {
    logger?.warn('remote write rejected', { status: err.status, error: err.message });
    answer(res, err.status, err.message, { ...headers, Connection: 'close' });
    req.resume();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== WRITE_PATH) {
      return answerEarly(req, res, new IngestError(404, `not found; remote write is at ${WRITE_PATH}`));
    }
    if (req.method !== 'POST') {
      return answerEarly(req, res, new IngestError(405, 'method not allowed; use POST'), { Allow: 'POST' });
    }
    if (token !== undefined && !authorised(req.headers.authorization, token)) {
      return answerEarly(req, res, new IngestError(401, 'missing or wrong bearer token'), {
        'WWW-Authenticate': 'Bearer',
      });
    }
    let version: RemoteWriteVersion;
    try {
      checkContentEncoding(req.headers['content-encoding']);
      version = negotiateVersion(req.headers['content-type']);
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > limits.maxBodyBytes) {
        throw tooLarge(limits.maxBodyBytes);
      }
    } catch (err) {
      return answerEarly(req, res, err as IngestError);
    }

    const body = await readBody(req, limits.maxBodyBytes);
    if (body === undefined) {
      return answerEarly(req, res, tooLarge(limits.maxBodyBytes));
    }
    metrics.bytesReceived += body.length;

    let decoded: DecodedRequest;
    try {
      const raw = snappyUncompress(body, limits.maxDecodedBytes, scratch);
      metrics.bytesDecoded += raw.length;
      decoded = version === 1 ? decodeV1(raw, limits, series) : decodeV2(raw, limits, series);
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      logger?.warn('remote write rejected', { status: err.status, error: err.message, version });
      return answer(res, err.status, err.message);
    }
    metrics.exemplarsIgnored += decoded.exemplars;
    metrics.metadataIgnored += decoded.metadata;

    const batch = decoded.batch;
    let outcome: AppendOutcome;
    try {
      outcome =
        batch.series.length === 0
          ? { samplesWritten: 0, rejectedOutOfOrder: 0, rejectedTooOld: 0, rejectedTooNew: 0 }
          : appendBatch !== undefined
            ? await appendBatch(batch)
            : await storage.append(toSeriesSamples(batch));
    } catch (err) {
      // 5xx: the sender retries with backoff.
      logger?.warn('remote write: storage append failed', { error: String(err) });
      return answer(res, 500, 'storage error');
    }
    metrics.samplesWritten += outcome.samplesWritten;
    metrics.samplesRejected.outOfOrder += outcome.rejectedOutOfOrder;
    metrics.samplesRejected.tooOld += outcome.rejectedTooOld;
    metrics.samplesRejected.tooNew += outcome.rejectedTooNew;

    const headers: Record<string, string> =
      version === 2
        ? {
            [HEADER_SAMPLES]: String(outcome.samplesWritten),
            [HEADER_HISTOGRAMS]: '0',
            [HEADER_EXEMPLARS]: '0',
          }
        : {};
    const rejected = outcome.rejectedOutOfOrder + outcome.rejectedTooOld + outcome.rejectedTooNew;
    if (rejected > 0) {
      // The spec forbids 2xx for partial writes. 400 (not 5xx) because resending cannot help; the
      // samples the store accepted stay written, and the v2 headers say how many.
      const msg =
        `${rejected} of ${decoded.samples} samples rejected by the store: ` +
        `${outcome.rejectedOutOfOrder} out of order, ${outcome.rejectedTooOld} too old, ` +
        `${outcome.rejectedTooNew} too far in the future`;
      logger?.warn('remote write: samples rejected', { ...outcome, samples: decoded.samples });
      return answer(res, 400, msg, headers);
    }
    answer(res, 204, '', headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const address = `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  return {
    address,
    metrics,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function tooLarge(max: number): IngestError {
  return new IngestError(413, `request body larger than ${max} bytes`);
}

function authorised(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Reads the whole body, or returns undefined as soon as it exceeds `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function parseListen(listen: string): [string, number] {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(listen);
  if (!m) {
    throw new Error(`ingest: listen must be host:port, got ${JSON.stringify(listen)}`);
  }
  return [m[1], Number(m[2])];
}
