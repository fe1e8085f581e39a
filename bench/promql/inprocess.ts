/**
 * In-process harness for profiling the query path without HTTP or Prometheus: bench.ts' data appended
 * straight into a scratch store, then each query through the engine and the HTTP API's JSON encoder
 * (what `serve-prometheus-api` does between reading the request and writing the body). Prints the
 * median time per query, split into engine and encoding, and the fastest run (for comparing builds).
 *
 *   npx esbuild bench/promql/inprocess.ts --bundle --platform=node --outfile=/tmp/promql-inprocess.js
 *   node [--cpu-prof] /tmp/promql-inprocess.js [--series 10000] [--reps 5] [--queries REGEX]
 */
import { performance } from 'node:perf_hooks';

import { successBody } from '../../backend/src/api/json-body';
import { PromQLEngine } from '../../backend/src/engine';
import { openScratchStorage } from '../../backend/src/storage';
import { generate } from './data';
import { BENCH_QUERIES } from './queries';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const SERIES = Number(arg('series', '10000'));
const REPS = Number(arg('reps', '5'));
const FILTER = new RegExp(arg('queries', '.'));
const STEP_MS = 15_000;
const STEPS = 6 * 240 + 1;
const APPEND_BATCH = 500;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main(): Promise<void> {
  const data = generate(SERIES, STEPS, STEP_MS, Date.now() - 5_000);
  const store = openScratchStorage();
  // Time order, as a sender writes: window by window of 20 steps.
  for (let k0 = 0; k0 < STEPS; k0 += 20) {
    const k1 = Math.min(STEPS, k0 + 20);
    for (let s0 = 0; s0 < SERIES; s0 += APPEND_BATCH) {
      const batch = [];
      for (let s = s0; s < Math.min(SERIES, s0 + APPEND_BATCH); s++) {
        const timestamps = new Float64Array(k1 - k0);
        for (let k = k0; k < k1; k++) timestamps[k - k0] = data.t0 + k * STEP_MS + data.offsets[s];
        batch.push({
          labels: data.labels[s].map(([name, value]) => ({ name, value })),
          timestamps,
          values: data.values.subarray(s * STEPS + k0, s * STEPS + k1),
        });
      }
      await store.append(batch);
    }
  }
  const start = data.t0 + STEP_MS;
  const end = data.t0 + (STEPS - 1) * STEP_MS;
  const engine = new PromQLEngine(store);
  process.stderr.write(`${SERIES} series × ${STEPS} samples loaded\n`);
  for (const spec of BENCH_QUERIES.filter((q) => FILTER.test(q.expr))) {
    const engineMs: number[] = [];
    const encodeMs: number[] = [];
    let bytes = 0;
    for (let r = 0; r <= REPS; r++) {
      global.gc?.();
      const t0 = performance.now();
      const result = await engine.rangeQuery(spec.expr, start, end, STEP_MS);
      const t1 = performance.now();
      bytes = 0;
      for (const chunk of successBody(result, 0, result.warnings, result.infos)) bytes += chunk.length;
      const t2 = performance.now();
      if (r === 0) continue; // warm-up
      engineMs.push(t1 - t0);
      encodeMs.push(t2 - t1);
    }
    const e = median(engineMs);
    const j = median(encodeMs);
    // the fastest run too: on a shared machine it is the steadiest number for comparing two builds
    const fastest = Math.min(...engineMs.map((x, i) => x + encodeMs[i]));
    process.stderr.write(
      `${(e + j).toFixed(0).padStart(6)} ms  engine ${e.toFixed(0).padStart(5)}  json ${j.toFixed(0).padStart(5)}  fastest ${fastest.toFixed(0).padStart(5)}  ${(bytes / 1e6).toFixed(1).padStart(6)} MB  ${spec.expr}\n`
    );
  }
  await store.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
