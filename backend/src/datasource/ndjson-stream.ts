import type { Chunk, ChunkSink } from '../runtime/chunked/chunk';
import type { QueryProgressReport } from '../runtime/chunked/writer';

/** Progress lines go out at most this often per query, besides one when a frame closes. */
const PROGRESS_INTERVAL_MS = 250;

interface QueryProgress {
  rows: number;
  chunks: number;
  bytes: number;
  total?: number;
  /** The query's own progress, when it reports one (PromQL). */
  own?: QueryProgressReport;
  lastReport: number;
}

/**
 * A chunked query as NDJSON lines for the `query` resource: frame chunks (Grafana's frame JSON),
 * errors, progress (rows, bytes, chunks, the expected total when the handler announced one, and
 * series done of total and samples scanned when the query reports them) and a final `end` line, without which a client must treat the stream as cut short.
 */
export class NdjsonQueryStream implements ChunkSink {
  private readonly started = Date.now();
  private readonly queries = new Map<string, QueryProgress>();
  private readonly totals = { chunks: 0, rows: 0, bytes: 0 };

  constructor(private readonly sendLine: (line: string | Uint8Array) => Promise<void>) {}

  send(chunk: Chunk): Promise<void> {
    if (chunk.error) {
      return this.sendLine(
        `{"type":"error","refId":${JSON.stringify(chunk.refId)},"status":${chunk.status},` +
          `"error":${JSON.stringify(chunk.error)},"errorSource":${JSON.stringify(chunk.errorSource ?? '')}}\n`
      );
    }
    const bytes = chunk.frame?.byteLength ?? 0;
    this.totals.chunks++;
    this.totals.rows += chunk.rows;
    this.totals.bytes += bytes;
    const query = this.query(chunk.refId);
    query.chunks++;
    query.rows += chunk.rows;
    query.bytes += bytes;
    const head =
      `{"type":"frame","refId":${JSON.stringify(chunk.refId)},"frameId":${JSON.stringify(chunk.frameId)},` +
      `"rows":${chunk.rows},"frame":`;
    // The frame is JSON already: splice its bytes in rather than decoding them again.
    const sent = this.sendLine(Buffer.concat([Buffer.from(head), chunk.frame ?? Buffer.from('null'), LINE_END]));
    if (Date.now() - query.lastReport >= PROGRESS_INTERVAL_MS) {
      return sent.then(() => this.sendProgress(chunk.refId));
    }
    return sent;
  }

  expectRows(refId: string, rows: number): void {
    this.query(refId).total = rows;
    this.sendProgress(refId).catch(() => undefined);
  }

  /** Kept for the next progress line; one goes out now unless one went out within the interval. */
  reportProgress(refId: string, progress: QueryProgressReport): void {
    const query = this.query(refId);
    query.own = { ...query.own, ...progress };
    if (Date.now() - query.lastReport >= PROGRESS_INTERVAL_MS) {
      this.sendProgress(refId).catch(() => undefined);
    }
  }

  frameClosed(refId: string): void {
    this.sendProgress(refId).catch(() => undefined);
  }

  /** The whole request failed after the stream started: an error line without refId, no end line. */
  fail(message: string): Promise<void> {
    return this.sendLine(`{"type":"error","status":500,"error":${JSON.stringify(message)},"errorSource":"plugin"}\n`);
  }

  end(): Promise<void> {
    const totals = JSON.stringify(this.totals).slice(1, -1);
    return this.sendLine(`{"type":"end",${totals},"elapsedMs":${Date.now() - this.started}}\n`);
  }

  private sendProgress(refId: string): Promise<void> {
    const query = this.query(refId);
    query.lastReport = Date.now();
    const total = query.total === undefined ? '' : `"total":${query.total},`;
    let own = '';
    for (const key of ['seriesDone', 'seriesTotal', 'samplesScanned'] as const) {
      const value = query.own?.[key];
      own += value === undefined ? '' : `"${key}":${value},`;
    }
    return this.sendLine(
      `{"type":"progress","refId":${JSON.stringify(refId)},"rows":${query.rows},${total}${own}` +
        `"chunks":${query.chunks},"bytes":${query.bytes},"elapsedMs":${Date.now() - this.started}}\n`
    );
  }

  private query(refId: string): QueryProgress {
    let query = this.queries.get(refId);
    if (!query) {
      query = { rows: 0, chunks: 0, bytes: 0, lastReport: 0 };
      this.queries.set(refId, query);
    }
    return query;
  }
}

const LINE_END = Buffer.from('}\n');
