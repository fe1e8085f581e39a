import { Counter, Gauge, Registry } from 'prom-client';
import type { IngestMetrics } from '../ingest';
import type { Storage } from '../storage';

/**
 * The store's and the receiver's numbers on CollectMetrics. The receiver keeps plain counters;
 * these collectors copy them at scrape time (counters by their increase since the last scrape).
 */
export function registerStoreMetrics(registry: Registry, storage: Storage, ingest?: IngestMetrics): void {
  new Gauge({
    name: 'sluice_store_series',
    help: 'Series in the embedded store.',
    registers: [registry],
    collect() {
      this.set(storage.stats().series);
    },
  });
  new Gauge({
    name: 'sluice_store_samples',
    help: 'Samples in the embedded store.',
    registers: [registry],
    collect() {
      this.set(storage.stats().samples);
    },
  });
  if (!ingest) {
    return;
  }
  const seen = new Map<string, number>();
  const catchUp = (counter: Counter<string>, key: string, total: number, labels: Record<string, string> = {}) => {
    const delta = total - (seen.get(key) ?? 0);
    if (delta > 0) {
      counter.inc(labels, delta);
      seen.set(key, total);
    }
  };
  new Counter({
    name: 'sluice_ingest_requests_total',
    help: 'Remote-write requests answered, by HTTP status.',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      for (const [status, count] of Object.entries(ingest.requestsByStatus)) {
        catchUp(this, `status:${status}`, count, { status });
      }
    },
  });
  new Counter({
    name: 'sluice_ingest_samples_written_total',
    help: 'Remote-write samples the store accepted.',
    registers: [registry],
    collect() {
      catchUp(this, 'written', ingest.samplesWritten);
    },
  });
  new Counter({
    name: 'sluice_ingest_samples_rejected_total',
    help: 'Remote-write samples the store refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      for (const [reason, count] of Object.entries(ingest.samplesRejected)) {
        catchUp(this, `rejected:${reason}`, count, { reason });
      }
    },
  });
  new Counter({
    name: 'sluice_ingest_bytes_received_total',
    help: 'Remote-write body bytes received, compressed.',
    registers: [registry],
    collect() {
      catchUp(this, 'bytes', ingest.bytesReceived);
    },
  });
}
