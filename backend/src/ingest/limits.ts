/** Size and label limits of the remote-write receiver. */
export interface IngestLimits {
  /** Largest accepted request body as sent (Snappy-compressed); larger → 413. */
  maxBodyBytes: number;
  /** Largest accepted decoded (uncompressed) body; larger → 400, like Prometheus. */
  maxDecodedBytes: number;
  /** Longest label name in bytes of UTF-8; longer → 400. */
  maxLabelNameLength: number;
  /** Longest label value in bytes of UTF-8; longer → 400. */
  maxLabelValueLength: number;
  /** Most labels on one series; more → 400. */
  maxLabelsPerSeries: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 16 * MiB,
  maxDecodedBytes: 32 * MiB, // Prometheus' decoded Snappy limit
  maxLabelNameLength: 1024,
  maxLabelValueLength: 64 * 1024,
  maxLabelsPerSeries: 128,
};

export function resolveLimits(partial: Partial<IngestLimits>): IngestLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof IngestLimits>) {
    const v = partial[key];
    if (v !== undefined) {
      if (!Number.isInteger(v) || v <= 0) {
        throw new Error(`ingest: ${key} must be a positive integer, got ${v}`);
      }
      limits[key] = v;
    }
  }
  return limits;
}
