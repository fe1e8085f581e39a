import { abortError, QueryError } from '../errors';
import { Frame } from '../frames';
import type { DataResponse, FrameFormat, QueryDataResponse } from '../handlers';
import type { ChunkingOptions } from './options';
import { BufferedFrameWriter, ChunkedDataWriter, ChunkEmitter, FrameSpec, FrameWriter, QueryErrorInfo } from './writer';

/**
 * Runs a chunked handler for unary QueryData: rows stay in their frames and the whole result is
 * returned at the end. Because everything is held, the total is bounded by `maxBytes`; past it the
 * query fails with 413 instead of taking the process (and Grafana) down.
 */
export class AccumulatingChunkedDataWriter implements ChunkedDataWriter, ChunkEmitter {
  private readonly frames = new Map<string, BufferedFrameWriter[]>();
  private readonly errors = new Map<string, QueryErrorInfo>();
  private readonly frameIds = new Set<string>();

  constructor(
    readonly format: FrameFormat,
    private readonly defaults: ChunkingOptions,
    private readonly signal: AbortSignal,
    private readonly maxBytes: number
  ) {}

  openFrame(refId: string, frameId: string, spec: FrameSpec, options?: Partial<ChunkingOptions>): FrameWriter {
    if (!refId || !frameId) {
      throw new Error('openFrame needs a non-empty refId and frameId');
    }
    const key = `${refId}\u0000${frameId}`;
    if (this.frameIds.has(key)) {
      throw new Error(`frame "${frameId}" of query "${refId}" was already opened; a frameId names one frame`);
    }
    this.frameIds.add(key);
    const frame = new Frame({ name: spec.name ?? '', refId, meta: spec.meta, fields: spec.fields });
    const writer = new BufferedFrameWriter(refId, frameId, frame, { ...this.defaults, ...options }, this, false);
    const list = this.frames.get(refId) ?? [];
    list.push(writer);
    this.frames.set(refId, list);
    return writer;
  }

  async writeError(refId: string, error: QueryErrorInfo): Promise<void> {
    if (!this.errors.has(refId)) {
      this.errors.set(refId, error);
    }
  }

  async flush(): Promise<void> {}

  emit(): Promise<void> {
    return Promise.resolve();
  }

  checkpoint(writer: BufferedFrameWriter): Promise<void> {
    const total = this.bufferedBytes();
    if (total > this.maxBytes) {
      // Free what this query holds at once; the error says why its frames are gone.
      this.frames.delete(writer.refId);
      return Promise.reject(
        new QueryError(
          413,
          `result of query "${writer.refId}" passed maxUnaryBytes (${this.maxBytes} bytes) in QueryData; ` +
            'ask for it through QueryChunkedData (streamed in chunks) or narrow the query'
        )
      );
    }
    return new Promise((resolve, reject) => {
      setImmediate(() => (this.signal.aborted ? reject(abortError(this.signal)) : resolve()));
    });
  }

  /** One DataResponse per refId that wrote frames or an error, frames in the order they were opened. */
  responses(): QueryDataResponse {
    const result: QueryDataResponse = new Map();
    for (const [refId, writers] of this.frames) {
      result.set(refId, { frames: writers.map((w) => w.frame) });
    }
    for (const [refId, error] of this.errors) {
      const response: DataResponse = result.get(refId) ?? { frames: [] };
      response.error = error;
      result.set(refId, response);
    }
    return result;
  }

  private bufferedBytes(): number {
    let total = 0;
    for (const writers of this.frames.values()) {
      for (const writer of writers) {
        total += writer.frame.estimatedBytes();
      }
    }
    return total;
  }
}
