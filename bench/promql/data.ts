/**
 * The PromQL benchmark's data set: deterministic (seeded) and shaped like a real HTTP service fleet.
 *
 * Per instance (50 series; scale N = N / 50 instances, spread round-robin over 4 jobs):
 * - `http_requests_total{code, instance, job, method}`: 4 methods × 5 codes = 20 integer counters,
 *   Poisson increments around a per-series rate with a slow daily-like swell; a quarter of the
 *   instances restart once (every counter of the instance resets to 0);
 * - `http_request_duration_seconds_{bucket,sum,count}{handler, instance, job[, le]}`: 2 handlers ×
 *   (11 classic buckets + _sum + _count) = 26 series, log-normal latencies;
 * - `work_queue_depth{instance, job, queue}`: 4 mean-reverting float gauges.
 *
 * Every series of an instance is "scraped" at the same offset within the 15 s interval (like
 * Prometheus spreading its targets), so sample timestamps are not aligned to the query steps.
 */
import { mulberry32 } from '../../backend/src/datasource/random';

export const SERIES_PER_INSTANCE = 50;
export const JOBS = ['api', 'web', 'worker', 'gateway'];
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
export const CODES = ['200', '201', '404', '500', '503'];
export const HANDLERS = ['/api/query', '/api/write'];
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Infinity];
export const QUEUES = ['email', 'export', 'index', 'thumbnail'];

const METHOD_SHARE = [0.6, 0.25, 0.1, 0.05];
const CODE_SHARE = [0.85, 0.08, 0.04, 0.02, 0.01];
const HANDLER_SHARE = [0.7, 0.3];
const HANDLER_MEDIAN_SECONDS = [0.12, 0.03];
const LATENCY_SIGMA = 0.8;

export type Labels = Array<[string, string]>;

export interface Dataset {
  series: number;
  instances: number;
  steps: number;
  stepMs: number;
  /** Timestamp (ms) of step 0, a multiple of stepMs; a series' samples are at t0 + k·stepMs + offset. */
  t0: number;
  /** Label sets, sorted by name (remote-write senders must sort them). */
  labels: Labels[];
  /** Scrape offset (ms) of each series, in [0, stepMs). */
  offsets: Int32Array;
  /** Sample values, series-major: values[s * steps + k]. */
  values: Float64Array;
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function poisson(rand: () => number, mean: number): number {
  if (mean > 30) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function sorted(labels: Labels): Labels {
  return labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Formats an `le` bound as Prometheus' client libraries do. */
function le(bound: number): string {
  return bound === Infinity ? '+Inf' : String(bound);
}

/**
 * Generates `series` series (a multiple of 50) of `steps` samples each, `stepMs` apart, the last
 * step at or before `endMs`.
 */
export function generate(series: number, steps: number, stepMs: number, endMs: number, seed = 42): Dataset {
  if (series % SERIES_PER_INSTANCE !== 0) throw new Error(`series must be a multiple of ${SERIES_PER_INSTANCE}`);
  const instances = series / SERIES_PER_INSTANCE;
  const t0 = Math.floor(endMs / stepMs) * stepMs - (steps - 1) * stepMs - stepMs;
  const labels: Labels[] = [];
  const offsets = new Int32Array(series);
  const values = new Float64Array(series * steps);
  // A slow swell over the whole range (a day's shape squeezed into it), same for everyone.
  const swell = Float64Array.from({ length: steps }, (_, k) => 1 + 0.35 * Math.sin((2 * Math.PI * k) / steps - 1));

  for (let i = 0; i < instances; i++) {
    const rand = mulberry32(seed * 1_000_003 + i);
    const job = JOBS[i % JOBS.length];
    const instance = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8080`;
    const offset = Math.floor(rand() * stepMs);
    const load = 20 * Math.exp(0.6 * normal(rand)); // requests/s of the instance
    const errorFactor = rand() < 0.1 ? 8 : Math.exp(0.5 * normal(rand)); // a few bad instances
    const slowFactor = Math.exp(0.3 * normal(rand));
    const restartAt = rand() < 0.25 ? 100 + Math.floor(rand() * Math.max(1, steps - 200)) : -1;
    const base = labels.length;

    // Counters.
    for (let m = 0; m < METHODS.length; m++) {
      for (let c = 0; c < CODES.length; c++) {
        const s = labels.length;
        labels.push(
          sorted([
            ['__name__', 'http_requests_total'],
            ['code', CODES[c]],
            ['instance', instance],
            ['job', job],
            ['method', METHODS[m]],
          ])
        );
        const share = c >= 3 ? CODE_SHARE[c] * errorFactor : CODE_SHARE[c];
        const rate = load * METHOD_SHARE[m] * share * (0.8 + 0.4 * rand());
        let total = Math.floor(rand() * 1e5);
        for (let k = 0; k < steps; k++) {
          if (k === restartAt) total = 0;
          total += poisson(rand, rate * (stepMs / 1000) * swell[k]);
          values[s * steps + k] = total;
        }
      }
    }

    // Classic histograms: buckets, then _sum and _count, per handler.
    for (let h = 0; h < HANDLERS.length; h++) {
      const first = labels.length;
      const common: Labels = [
        ['handler', HANDLERS[h]],
        ['instance', instance],
        ['job', job],
      ];
      for (const bound of BUCKETS) {
        labels.push(sorted([['__name__', 'http_request_duration_seconds_bucket'], ...common, ['le', le(bound)]]));
      }
      labels.push(sorted([['__name__', 'http_request_duration_seconds_sum'], ...common]));
      labels.push(sorted([['__name__', 'http_request_duration_seconds_count'], ...common]));
      const sumAt = first + BUCKETS.length;
      const countAt = sumAt + 1;
      const rate = load * HANDLER_SHARE[h];
      // Like the counters, the histograms did not start with the data: hours of requests are in them.
      const median0 = HANDLER_MEDIAN_SECONDS[h] * slowFactor * 0.5;
      const before = Math.floor(rate * 3600 * (1 + 24 * rand()));
      const cumulative = Float64Array.from(BUCKETS, (bound) =>
        bound === Infinity ? before : Math.round(before * phi((Math.log(bound) - Math.log(median0)) / LATENCY_SIGMA))
      );
      let sum = before * median0 * Math.exp((LATENCY_SIGMA * LATENCY_SIGMA) / 2);
      let count = before;
      for (let k = 0; k < steps; k++) {
        if (k === restartAt) {
          cumulative.fill(0);
          sum = 0;
          count = 0;
        }
        const n = poisson(rand, rate * (stepMs / 1000) * swell[k]);
        const median = HANDLER_MEDIAN_SECONDS[h] * slowFactor * (0.7 + 0.6 * swell[k] * swell[k]) * 0.5;
        for (let b = 0; b < BUCKETS.length; b++) {
          const bound = BUCKETS[b];
          const below =
            bound === Infinity ? n : Math.round(n * phi((Math.log(bound) - Math.log(median)) / LATENCY_SIGMA));
          cumulative[b] += below;
          values[(first + b) * steps + k] = cumulative[b];
        }
        sum += n * median * Math.exp((LATENCY_SIGMA * LATENCY_SIGMA) / 2) * (1 + 0.05 * normal(rand));
        count += n;
        values[sumAt * steps + k] = sum;
        values[countAt * steps + k] = count;
      }
    }

    // Gauges.
    for (let q = 0; q < QUEUES.length; q++) {
      const s = labels.length;
      labels.push(
        sorted([
          ['__name__', 'work_queue_depth'],
          ['instance', instance],
          ['job', job],
          ['queue', QUEUES[q]],
        ])
      );
      const mean = 50 * Math.exp(normal(rand));
      let v = mean;
      for (let k = 0; k < steps; k++) {
        v = Math.max(0, v + 0.1 * (mean - v) + 0.15 * mean * normal(rand));
        values[s * steps + k] = v;
      }
    }

    offsets.fill(offset, base, labels.length);
  }
  return { series, instances, steps, stepMs, t0, labels, offsets, values };
}
