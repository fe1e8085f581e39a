import type { ErrorSource } from '../errors';
import type { QueryProgressReport } from './writer';

/** One QueryChunkedData message, before protobuf encoding. */
export interface Chunk {
  refId: string;
  frameId: string;
  /** Encoded frame (Arrow IPC file or frame JSON); absent on JSON error chunks. */
  frame?: Uint8Array;
  rows: number;
  status: number;
  error?: string;
  errorSource?: ErrorSource;
}

/**
 * Where chunks go: a gRPC stream, an NDJSON resource response, a test. `send` returns a promise
 * only when the receiver is not keeping up, and the writer makes the handler wait for it.
 */
export interface ChunkSink {
  send(chunk: Chunk): Promise<void> | undefined;
  /** A handler said how many rows a query will produce (progress with an ETA); optional. */
  expectRows?(refId: string, rows: number): void;
  /** A query's own progress (series, samples); optional. */
  reportProgress?(refId: string, progress: QueryProgressReport): void;
  /** A frame sent its last chunk; optional. */
  frameClosed?(refId: string, frameId: string): void;
}
