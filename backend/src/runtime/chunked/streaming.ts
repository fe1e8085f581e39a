import { abortError } from '../errors';
import { encodeArrowFile, encodeFrameJSON, Frame } from '../frames';
import type { FrameFormat } from '../handlers';
import type { Chunk, ChunkSink } from './chunk';
import type { ChunkingOptions } from './options';
import {
  BufferedFrameWriter,
  ChunkedDataWriter,
  ChunkEmitter,
  FrameSpec,
  FrameWriter,
  OpenFrames,
  QueryErrorInfo,
  QueryProgressReport,
} from './writer';

const utf8 = new TextEncoder();

/**
 * Sends every chunk to a sink as soon as it is full: the heart of QueryChunkedData. Memory stays at
 * one chunk per open frame plus what the sink may buffer before it pushes back.
 */
export class StreamingChunkedDataWriter implements ChunkedDataWriter, ChunkEmitter {
  private readonly frames = new OpenFrames();
  private timer?: NodeJS.Timeout;
  private timerFailure?: unknown;

  constructor(
    readonly format: FrameFormat,
    private readonly sink: ChunkSink,
    private readonly defaults: ChunkingOptions,
    private readonly signal: AbortSignal
  ) {}

  openFrame(refId: string, frameId: string, spec: FrameSpec, options?: Partial<ChunkingOptions>): FrameWriter {
    const writer = this.frames.open(refId, frameId, spec, { ...this.defaults, ...options }, this, true);
    this.startTimer();
    return writer;
  }

  writeError(refId: string, error: QueryErrorInfo): Promise<void> {
    // Arrow receivers (Grafana's typed client, the SDK's AccumulateArrow) decode every chunk's frame
    // before reading its error, so an Arrow error chunk carries an empty frame.
    const frame = this.format === 'arrow' ? encodeArrowFile(new Frame({ name: '', refId, fields: [] })) : undefined;
    const chunk: Chunk = {
      refId,
      frameId: '',
      frame,
      rows: 0,
      status: error.status,
      error: error.message,
      errorSource: error.source,
    };
    return this.send(chunk);
  }

  async flush(): Promise<void> {
    for (const writer of this.frames.values()) {
      await writer.flush();
    }
  }

  /** Closes the frames the handler left open and stops the flush timer. */
  async close(): Promise<void> {
    this.stopTimer();
    for (const writer of this.frames.values()) {
      await writer.close();
    }
    if (this.timerFailure !== undefined) {
      throw this.timerFailure;
    }
  }

  /** Stops the timer without sending anything (the call failed or was cancelled). */
  dispose(): void {
    this.stopTimer();
  }

  emit(writer: BufferedFrameWriter): Promise<void> {
    const { frame } = writer;
    const first = writer.chunksSent === 0;
    let bytes: Uint8Array;
    if (this.format === 'arrow') {
      bytes = encodeArrowFile(frame);
    } else {
      bytes = utf8.encode(encodeFrameJSON(frame, first ? 'all' : 'data'));
    }
    const rows = frame.length;
    frame.clearRows();
    writer.chunksSent++;
    writer.lastEmitAt = Date.now();
    const sent = this.send({ refId: writer.refId, frameId: writer.frameId, frame: bytes, rows, status: 200 });
    // Time spent waiting for a slow reader is not a slow query: restart the flush clock after it.
    return sent.then(() => {
      writer.lastEmitAt = Date.now();
    });
  }

  checkpoint(): Promise<void> | undefined {
    return undefined;
  }

  closed(writer: BufferedFrameWriter): void {
    this.frames.forget(writer);
    this.sink.frameClosed?.(writer.refId, writer.frameId);
  }

  expectRows(refId: string, rows: number): void {
    this.sink.expectRows?.(refId, rows);
  }

  reportProgress(refId: string, progress: QueryProgressReport): void {
    this.sink.reportProgress?.(refId, progress);
  }

  private send(chunk: Chunk): Promise<void> {
    if (this.signal.aborted) {
      return Promise.reject(abortError(this.signal));
    }
    const pending = this.sink.send(chunk);
    return pending ? raceAbort(pending, this.signal) : yieldToEventLoop(this.signal);
  }

  private startTimer(): void {
    if (this.timer) {
      return;
    }
    // Half the interval, so pending rows wait at most 1.5 intervals when the handler is idle.
    this.timer = setInterval(() => this.flushStale(), Math.max(5, this.defaults.flushIntervalMs / 2));
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private flushStale(): void {
    const now = Date.now();
    for (const writer of this.frames.values()) {
      if (!writer.closed && writer.frame.length > 0 && now - writer.lastEmitAt >= writer.options.flushIntervalMs) {
        this.emit(writer).catch((error: unknown) => {
          this.timerFailure ??= error;
        });
      }
    }
  }
}

/** Lets gRPC put the chunk on the wire and lets cancellation in, even when nothing pushes back. */
function yieldToEventLoop(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    setImmediate(() => (signal.aborted ? reject(abortError(signal)) : resolve()));
  });
}

function raceAbort(pending: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) {
          reject(abortError(signal));
        } else {
          resolve();
        }
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    );
  });
}
