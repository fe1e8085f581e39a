/** The benchmark's query set (bench.ts runs it against both servers, inprocess.ts against the engine). */
export interface QuerySpec {
  expr: string;
  /** topk/bottomk: equal values may pick different series (see compare.ts). */
  tieAware?: boolean;
  /**
   * Where Prometheus 2.42 (the only Prometheus Debian ships) and Prometheus 3, whose semantics Sluice
   * implements, are known to answer differently: points at these step timestamps (seconds) may differ.
   */
  versionDifference?: { at: (t: number) => boolean; why: string };
}

export const BENCH_QUERIES: readonly QuerySpec[] = [
  { expr: 'sum by (job) (rate(http_requests_total[5m]))' },
  { expr: 'rate(http_requests_total[5m])' },
  { expr: 'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))' },
  { expr: 'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))' },
  { expr: 'topk(5, rate(http_requests_total[5m]))', tieAware: true },
  {
    expr:
      'sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) / on (instance) ' +
      'sum by (instance) (rate(http_requests_total[5m]))',
  },
  {
    expr:
      'rate(http_request_duration_seconds_sum[5m]) / on (instance, handler) group_left ' +
      'rate(http_request_duration_seconds_count[5m])',
  },
  { expr: 'max_over_time(work_queue_depth[10m])' },
  { expr: 'avg_over_time(work_queue_depth[1h])' },
  {
    expr: 'max_over_time(rate(http_requests_total[5m])[30m:1m])',
    versionDifference: {
      // At steps on a whole minute, t-30m is itself a subquery step: 2.x includes it, 3.x does not.
      at: (t: number) => t % 60 === 0,
      why: 'Prometheus 3 made range and subquery windows left-open ((t-30m, t]); 2.42 includes the subquery step at t-30m',
    },
  },
  { expr: 'sum(work_queue_depth)' },
  { expr: 'work_queue_depth * 2' },
];
