import type { ErrorSource } from '../errors';
import { FieldSchema, FrameMeta, Frame } from '../frames';
import type { ChunkingOptions } from './options';

/** A frame as a handler opens it; refId comes from openFrame. */
export interface FrameSpec {
  name?: string;
  meta?: FrameMeta;
  fields: FieldSchema[];
}

/** A query's own account of its progress, where it has one (PromQL: series written, samples read). */
export interface QueryProgressReport {
  seriesDone?: number;
  /** Series the query will produce, once known. */
  seriesTotal?: number;
  samplesScanned?: number;
}

export interface QueryErrorInfo {
  status: number;
  message: string;
  source: ErrorSource;
}

/**
 * Writes one frame row by row. The writer cuts the rows into chunks; `appendRow` returns a promise
 * exactly when a chunk boundary was reached. Awaiting it lets gRPC send, applies backpressure from
 * a slow reader and rejects with an AbortError once the call is cancelled.
 */
export interface FrameWriter {
  readonly refId: string;
  readonly frameId: string;
  /** Rows written so far, sent or pending. */
  readonly rowsWritten: number;
  appendRow(values: readonly unknown[]): Promise<void> | undefined;
  /** Appends a column batch (one array per field, equal lengths); chunk boundaries are kept. */
  appendColumns(columns: readonly ArrayLike<unknown>[]): Promise<void>;
  /** Sends pending rows now. */
  flush(): Promise<void>;
  /** Sends what is pending (a schema-only chunk if the frame had no rows) and ends the frame. */
  close(): Promise<void>;
}

/**
 * What a QueryChunkedDataHandler writes to. Frames are identified per refId by a frameId: the first
 * chunk of a frameId carries schema and meta, later ones only rows. Errors belong to one refId; the
 * other refIds carry on. Frames still open when the handler returns are closed for it.
 */
export interface ChunkedDataWriter {
  readonly format: 'arrow' | 'json';
  openFrame(refId: string, frameId: string, spec: FrameSpec, options?: Partial<ChunkingOptions>): FrameWriter;
  writeError(refId: string, error: QueryErrorInfo): Promise<void>;
  /** Sends pending rows of every open frame. */
  flush(): Promise<void>;
  /** Announces how many rows a query will produce, where the handler knows: clients show an ETA. */
  expectRows(refId: string, rows: number): void;
  /** Reports a query's own progress; streams that carry progress pass it on, the others ignore it. */
  reportProgress(refId: string, progress: QueryProgressReport): void;
}

/** Sends one frame's pending rows; implemented by each writer. */
export interface ChunkEmitter {
  emit(frameWriter: BufferedFrameWriter): Promise<void>;
  /** The frame is closed and its last chunk is out. */
  closed(frameWriter: BufferedFrameWriter): void;
  /** Called every `chunkRows` rows when nothing was emitted, so the handler still yields. */
  checkpoint(frameWriter: BufferedFrameWriter): Promise<void> | undefined;
}

/** Rows of a first column batch appended at a time, until the size of a row is known. */
const LEARNING_ROWS = 16;

/**
 * Buffers rows of one frame and asks its writer to emit them at chunk boundaries. Shared by the
 * streaming writer and the accumulating one used for the QueryData fallback.
 */
export class BufferedFrameWriter implements FrameWriter {
  /** Chunks emitted so far for this frame. */
  chunksSent = 0;
  lastEmitAt = Date.now();
  closed = false;
  /** Set when the writer gave up on this frame's query (accumulation over its limit). */
  dropped = false;
  private rowsSentOrPending = 0;
  /** Estimated encoded bytes per row, learnt from this frame's rows. */
  private rowBytes = 0;

  constructor(
    readonly refId: string,
    readonly frameId: string,
    readonly frame: Frame,
    readonly options: ChunkingOptions,
    private readonly emitter: ChunkEmitter,
    /** False for accumulation: rows stay buffered and only checkpoints happen at boundaries. */
    private readonly streaming: boolean
  ) {}

  get rowsWritten(): number {
    return this.rowsSentOrPending;
  }

  appendRow(values: readonly unknown[]): Promise<void> | undefined {
    this.assertOpen();
    this.frame.appendRow(values);
    this.rowsSentOrPending++;
    return this.afterAppend();
  }

  async appendColumns(columns: readonly ArrayLike<unknown>[]): Promise<void> {
    this.assertOpen();
    const total = columns.length === 0 ? 0 : columns[0].length;
    for (let start = 0; start < total;) {
      const end = Math.min(total, start + this.roomInChunk());
      this.frame.appendColumns(start === 0 && end === total ? columns : columns.map((c) => sliceColumn(c, start, end)));
      this.rowsSentOrPending += end - start;
      this.rowBytes = this.frame.estimatedBytes() / this.frame.length;
      start = end;
      const pending = this.afterAppend();
      if (pending) {
        await pending;
      }
    }
  }

  async flush(): Promise<void> {
    if (this.streaming && this.frame.length > 0) {
      await this.emitter.emit(this);
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.streaming && (this.frame.length > 0 || this.chunksSent === 0)) {
      await this.emitter.emit(this);
    }
    this.emitter.closed(this);
  }

  /**
   * Rows a column batch may add before the chunk is full: by count, and when streaming also by the
   * byte bound, estimated from the rows seen so far (a first batch goes in small steps to learn it).
   */
  private roomInChunk(): number {
    const { chunkRows, maxChunkBytes } = this.options;
    if (!this.streaming) {
      return chunkRows - (this.rowsSentOrPending % chunkRows);
    }
    const frame = this.frame;
    const byRows = chunkRows - frame.length;
    const byBytes =
      this.rowBytes > 0 ? Math.floor((maxChunkBytes - frame.estimatedBytes()) / this.rowBytes) : LEARNING_ROWS;
    return Math.max(1, Math.min(byRows, byBytes));
  }

  private afterAppend(): Promise<void> | undefined {
    const { frame, options } = this;
    if (!this.streaming) {
      return this.rowsSentOrPending % options.chunkRows === 0 ? this.emitter.checkpoint(this) : undefined;
    }
    if (frame.length >= options.chunkRows || frame.estimatedBytes() >= options.maxChunkBytes) {
      return this.emitter.emit(this);
    }
    // A handler that computes rows slowly between awaits still shows progress.
    if ((frame.length & 63) === 0 && Date.now() - this.lastEmitAt >= options.flushIntervalMs) {
      return this.emitter.emit(this);
    }
    return undefined;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error(`frame "${this.frameId}" of query "${this.refId}" is closed`);
    }
  }
}

function sliceColumn(column: ArrayLike<unknown>, start: number, end: number): ArrayLike<unknown> {
  const sliceable = column as { subarray?: (s: number, e: number) => ArrayLike<unknown> } & {
    slice?: (s: number, e: number) => ArrayLike<unknown>;
  };
  if (typeof sliceable.subarray === 'function') {
    return sliceable.subarray(start, end);
  }
  if (typeof sliceable.slice === 'function') {
    return sliceable.slice(start, end);
  }
  return Array.prototype.slice.call(column, start, end);
}

/** The frames a writer has opened, by refId and frameId: a frameId names one frame per query. */
export class OpenFrames {
  private readonly byKey = new Map<string, BufferedFrameWriter>();
  /** Every frameId ever opened, by refId: forgotten frames keep theirs taken. */
  private readonly taken = new Set<string>();

  open(
    refId: string,
    frameId: string,
    spec: FrameSpec,
    options: ChunkingOptions,
    emitter: ChunkEmitter,
    streaming: boolean
  ): BufferedFrameWriter {
    if (!refId || !frameId) {
      throw new Error('openFrame needs a non-empty refId and frameId');
    }
    const key = `${refId}\u0000${frameId}`;
    if (this.taken.has(key)) {
      throw new Error(`frame "${frameId}" of query "${refId}" was already opened; a frameId names one frame`);
    }
    const frame = new Frame({ name: spec.name ?? '', refId, meta: spec.meta, fields: spec.fields });
    const writer = new BufferedFrameWriter(refId, frameId, frame, options, emitter, streaming);
    this.byKey.set(key, writer);
    this.taken.add(key);
    return writer;
  }

  /**
   * Lets go of a closed frame whose chunks are all sent, so its buffers can be collected: a query
   * that streams thousands of frames (one per PromQL series) holds one at a time, not all of them.
   */
  forget(writer: BufferedFrameWriter): void {
    this.byKey.delete(`${writer.refId}\u0000${writer.frameId}`);
  }

  /** In the order they were opened. */
  values(): IterableIterator<BufferedFrameWriter> {
    return this.byKey.values();
  }

  /** Forgets a query's frames (their rows become garbage) but keeps their frameIds taken. */
  drop(refId: string): void {
    for (const writer of this.byKey.values()) {
      if (writer.refId === refId) {
        writer.frame.clearRows();
        writer.dropped = true;
      }
    }
  }
}
