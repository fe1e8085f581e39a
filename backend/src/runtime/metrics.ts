import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The backend's own metrics, served through Diagnostics.CollectMetrics (Grafana exposes them at
 * /api/plugins/sluice-datasource/metrics). prom-client gives the text exposition format and the
 * standard process metrics.
 */
export class RuntimeMetrics {
  readonly registry = new Registry();

  readonly callsInFlight = new Gauge({
    name: 'sluice_queries_in_flight',
    help: 'Data and resource calls being served right now.',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly calls = new Counter({
    name: 'sluice_queries_total',
    help: 'Data and resource calls served, by method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly callDuration = new Histogram({
    name: 'sluice_query_duration_seconds',
    help: 'Time to serve a data or resource call, to its last message.',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly queryErrors = new Counter({
    name: 'sluice_query_errors_total',
    help: 'Queries (refIds) answered with an error, by status and error source.',
    labelNames: ['status', 'source'] as const,
    registers: [this.registry],
  });
  readonly chunks = new Counter({
    name: 'sluice_chunks_sent_total',
    help: 'QueryChunkedData messages sent.',
    labelNames: ['format'] as const,
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: 'sluice_rows_sent_total',
    help: 'Frame rows sent, chunked or unary.',
    labelNames: ['method', 'format'] as const,
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'sluice_bytes_sent_total',
    help: 'Encoded frame bytes sent, chunked or unary.',
    labelNames: ['method', 'format'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
    }
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
