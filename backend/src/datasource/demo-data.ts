import type { Label, SeriesSamples, Storage } from '../storage';
import { mulberry32 } from './random';

/**
 * Demo data for the embedded default: a first start with an empty store gets a few days of
 * node-exporter-like and HTTP-service series at a 15 s scrape interval, so the main job shows
 * real-looking data at once. Deterministic for a given `now` (aligned to the interval).
 */
export const DEMO_INTERVAL_MS = 15_000;
const DAY_MS = 86_400_000;
/** Timestamps per append: one hour of every series in one WAL write. */
const BLOCK = 240;

interface DemoSeries {
  labels: Label[];
  /** Value at timestamp index i, given the previous value. */
  next(i: number, t: number, previous: number): number;
  value: number;
}

const LATENCY_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];

export function demoSeries(random: () => number): DemoSeries[] {
  const series: DemoSeries[] = [];
  const add = (labels: Record<string, string>, next: DemoSeries['next'], value = 0) =>
    series.push({
      labels: Object.entries(labels)
        .map(([name, v]) => ({ name, value: v }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
      next,
      value,
    });
  // Busy hours: load follows the time of day.
  const daily = (t: number) => 0.6 + 0.4 * Math.sin(((t % DAY_MS) / DAY_MS) * 2 * Math.PI - Math.PI / 2);

  for (let h = 1; h <= 4; h++) {
    const instance = `host-${h}:9100`;
    const busy = 0.2 + 0.15 * h;
    for (const cpu of ['0', '1']) {
      for (const mode of ['idle', 'user', 'system', 'iowait']) {
        const share =
          mode === 'idle' ? 1 - busy : mode === 'user' ? busy * 0.7 : mode === 'system' ? busy * 0.25 : busy * 0.05;
        add({ __name__: 'node_cpu_seconds_total', job: 'node', instance, cpu, mode }, (_i, t, prev) => {
          const load = mode === 'idle' ? 1 - busy * daily(t) : (share * daily(t)) / busy;
          return prev + 15 * Math.max(0, Math.min(1, load * (mode === 'idle' ? 1 : busy) + (random() - 0.5) * 0.05));
        });
      }
    }
    const total = 8 * 2 ** 30 * h;
    add({ __name__: 'node_memory_MemTotal_bytes', job: 'node', instance }, () => total, total);
    add(
      { __name__: 'node_memory_MemAvailable_bytes', job: 'node', instance },
      (_i, t) => Math.round(total * (0.55 - 0.25 * daily(t) + (random() - 0.5) * 0.02)),
      total / 2
    );
    for (const direction of ['receive', 'transmit']) {
      add({ __name__: `node_network_${direction}_bytes_total`, job: 'node', instance, device: 'eth0' }, (_i, t, prev) =>
        Math.round(prev + 15 * (direction === 'receive' ? 2e6 : 8e5) * daily(t) * (0.8 + random() * 0.4))
      );
    }
  }

  const handlers: Record<string, { rate: number; median: number }> = {
    '/api/users': { rate: 40, median: 0.03 },
    '/api/orders': { rate: 12, median: 0.12 },
    '/healthz': { rate: 1, median: 0.002 },
  };
  for (let a = 1; a <= 3; a++) {
    const instance = `api-${a}:8080`;
    for (const [h, [handler, { rate, median }]] of Object.entries(handlers).entries()) {
      // One draw per step shared by the service's series, so buckets, counts and codes agree.
      const stream = a * 16 + h;
      const requests = (i: number, t: number) =>
        rate * 15 * daily(t) * (0.9 + mulberry32(stream * 1_000_003 + i)() * 0.2);
      for (const code of ['200', '500']) {
        const share = code === '200' ? 0.99 : 0.01;
        add({ __name__: 'http_requests_total', job: 'api', instance, handler, method: 'GET', code }, (i, t, prev) =>
          Math.round(prev + requests(i, t) * share)
        );
      }
      // Classic histogram: cumulative buckets of a log-normal latency around the handler's median.
      const base = { job: 'api', instance, handler, method: 'GET' };
      for (const le of LATENCY_BUCKETS) {
        const bound = le === '+Inf' ? Infinity : Number(le);
        const fraction = bound === Infinity ? 1 : logNormalCdf(bound, median, 0.8);
        add({ __name__: 'http_request_duration_seconds_bucket', ...base, le }, (i, t, prev) =>
          Math.round(prev + requests(i, t) * fraction)
        );
      }
      add({ __name__: 'http_request_duration_seconds_count', ...base }, (i, t, prev) =>
        Math.round(prev + requests(i, t))
      );
      add(
        { __name__: 'http_request_duration_seconds_sum', ...base },
        (i, t, prev) => prev + requests(i, t) * median * 1.4
      );
    }
  }
  return series;
}

/** P(X ≤ x) for a log-normal with the given median and shape σ (Abramowitz–Stegun erf). */
function logNormalCdf(x: number, median: number, sigma: number): number {
  const z = Math.log(x / median) / (sigma * Math.SQRT2);
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return 0.5 * (1 + Math.sign(z) * erf);
}

/** Seeds `days` of demo series ending at `now` into an empty store; returns the samples written. */
export async function seedDemoData(storage: Storage, now: number, days = 3): Promise<number> {
  const series = demoSeries(mulberry32(42));
  const end = Math.floor(now / DEMO_INTERVAL_MS) * DEMO_INTERVAL_MS;
  const steps = Math.floor((days * DAY_MS) / DEMO_INTERVAL_MS);
  const start = end - (steps - 1) * DEMO_INTERVAL_MS;
  let written = 0;
  for (let from = 0; from < steps; from += BLOCK) {
    const count = Math.min(BLOCK, steps - from);
    const batch: SeriesSamples[] = series.map((s) => {
      const timestamps = new Float64Array(count);
      const values = new Float64Array(count);
      for (let j = 0; j < count; j++) {
        const t = start + (from + j) * DEMO_INTERVAL_MS;
        s.value = s.next(from + j, t, s.value);
        timestamps[j] = t;
        values[j] = s.value;
      }
      return { labels: s.labels, timestamps, values };
    });
    written += (await storage.append(batch)).samplesWritten;
  }
  return written;
}
