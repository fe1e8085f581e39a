import { abortError, QueryError } from '../errors';
import type { DataResponse, FrameFormat, QueryDataResponse } from '../handlers';
import type { ChunkingOptions } from './options';
import {
  BufferedFrameWriter,
  ChunkedDataWriter,
  ChunkEmitter,
  FrameSpec,
  FrameWriter,
  OpenFrames,
  QueryErrorInfo,
} from './writer';

/**
 * Runs a chunked handler for unary QueryData: rows stay in their frames and the whole result is
 * returned at the end. Because everything is held, the total is bounded by `maxBytes`; past it the
 * query fails with 413 instead of taking the process (and Grafana) down.
 */
export class AccumulatingChunkedDataWriter implements ChunkedDataWriter, ChunkEmitter {
  private readonly frames = new OpenFrames();
  private readonly errors = new Map<string, QueryErrorInfo>();

  constructor(
    readonly format: FrameFormat,
    private readonly defaults: ChunkingOptions,
    private readonly signal: AbortSignal,
    private readonly maxBytes: number
  ) {}

  openFrame(refId: string, frameId: string, spec: FrameSpec, options?: Partial<ChunkingOptions>): FrameWriter {
    return this.frames.open(refId, frameId, spec, { ...this.defaults, ...options }, this, false);
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

  closed(): void {}

  /** QueryData answers once: there is no progress to report. */
  expectRows(): void {}

  reportProgress(): void {}

  checkpoint(writer: BufferedFrameWriter): Promise<void> {
    const total = this.bufferedBytes();
    if (total > this.maxBytes) {
      // Free what this query holds at once; the error says why its frames are gone.
      this.frames.drop(writer.refId);
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
    for (const writer of this.frames.values()) {
      const response = result.get(writer.refId) ?? { frames: [] };
      if (!writer.dropped) {
        response.frames.push(writer.frame);
      }
      result.set(writer.refId, response);
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
    for (const writer of this.frames.values()) {
      total += writer.frame.estimatedBytes();
    }
    return total;
  }
}
