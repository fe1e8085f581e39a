/**
 * Plain counters of the receiver, for the lead to expose through prom-client later
 * (e.g. a collect() callback reading these numbers).
 */
export interface IngestMetrics {
  /** Answered requests by HTTP status code. */
  requestsByStatus: Record<number, number>;
  /** Samples the store accepted. */
  samplesWritten: number;
  /** Samples of valid requests that the store refused, by reason. */
  samplesRejected: { outOfOrder: number; tooOld: number; tooNew: number };
  /** Exemplars and metadata entries received and ignored. */
  exemplarsIgnored: number;
  metadataIgnored: number;
  /** Request body bytes received as sent (compressed). */
  bytesReceived: number;
  /** Bytes after Snappy decoding. */
  bytesDecoded: number;
}

export function newMetrics(): IngestMetrics {
  return {
    requestsByStatus: {},
    samplesWritten: 0,
    samplesRejected: { outOfOrder: 0, tooOld: 0, tooNew: 0 },
    exemplarsIgnored: 0,
    metadataIgnored: 0,
    bytesReceived: 0,
    bytesDecoded: 0,
  };
}
