/** How a ChunkedDataWriter cuts frames into chunks; every limit is named and settable. */
export interface ChunkingOptions {
  /** Rows per chunk (Grafana's Go SDK uses 1000). */
  chunkRows: number;
  /** A chunk is sent early when its encoded size would pass this, far below gRPC's 4 MiB default. */
  maxChunkBytes: number;
  /** Pending rows are sent after this long even if the chunk is not full, so slow queries show progress. */
  flushIntervalMs: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = {
  chunkRows: 1000,
  maxChunkBytes: 1024 * 1024,
  flushIntervalMs: 250,
};

export const CHUNKING_LIMITS = {
  chunkRows: { min: 1, max: 1_000_000 },
  maxChunkBytes: { min: 4 * 1024, max: 64 * 1024 * 1024 },
  flushIntervalMs: { min: 10, max: 60_000 },
} as const;
