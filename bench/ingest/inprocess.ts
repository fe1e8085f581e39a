/**
 * In-process harness for profiling the receiver's request path without HTTP: the same pre-encoded
 * stream as bench.ts, decoded (Snappy + protobuf) and appended to a real store (fsync `always`) with 4
 * requests in flight, as the benchmark's shards are.
 *
 *   npx esbuild bench/ingest/inprocess.ts --bundle --platform=node --outfile=/tmp/inprocess.js
 *   node --max-semi-space-size=1 --heap-growing-percent=20 [--cpu-prof] /tmp/inprocess.js \
 *     [--series 100000] [--rounds 10] [--fsync always|never] [--decode-only] [--no-prime]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { decodeV1 } from '../../backend/src/ingest/decode-v1';
import { DEFAULT_LIMITS } from '../../backend/src/ingest/limits';
import { primeRequestPath } from '../../backend/src/ingest/prime';
import { encodeV1 } from '../../backend/src/ingest/sender';
import { ScratchBuffer, snappyCompress, snappyUncompress } from '../../backend/src/ingest/snappy';
import { openStorage } from '../../backend/src/storage';
import { labelsOf, sampleValue } from './stream';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const SERIES = Number(arg('series', '100000'));
const ROUNDS = Number(arg('rounds', '10'));
const BATCH = 2000;
const IN_FLIGHT = 4;
const DECODE_ONLY = process.argv.includes('--decode-only');
const FSYNC = arg('fsync', 'always') as 'always' | 'never';

async function main(): Promise<void> {
  const base = Math.floor((Date.now() - (ROUNDS + 2) * 15_000) / 15_000) * 15_000;
  const labels = Array.from({ length: SERIES }, (_, i) => labelsOf(i));
  const rounds: Uint8Array[][] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const bodies: Uint8Array[] = [];
    for (let start = 0; start < SERIES; start += BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(SERIES, start + BATCH); i++) {
        batch.push({ labels: labels[i], timestamps: [base + r * 15_000], values: [sampleValue(i, r)] });
      }
      bodies.push(snappyCompress(encodeV1(batch)));
    }
    rounds.push(bodies);
  }
  // As the receiver does at start (see backend/src/ingest/prime.ts); --no-prime shows the difference.
  if (!process.argv.includes('--no-prime')) await primeRequestPath(DEFAULT_LIMITS);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-inprocess-'));
  const store = await openStorage({ dataDir: dir, fsync: FSYNC });
  const scratch = new ScratchBuffer();
  // When profiling: the ingest starts this far into the process (skip the encoding before it).
  process.stderr.write(`ingest starts at ${(performance.now() / 1000).toFixed(1)} s\n`);
  let started = 0;
  let cpu0 = process.cpuUsage();
  for (let r = 0; r <= ROUNDS; r++) {
    if (r === 1) {
      started = performance.now();
      cpu0 = process.cpuUsage();
      process.stderr.write(`timed rounds start at ${(started / 1000).toFixed(1)} s\n`);
    }
    const inFlight: Array<Promise<unknown>> = [];
    for (const body of rounds[r]) {
      const decoded = decodeV1(snappyUncompress(body, DEFAULT_LIMITS.maxDecodedBytes, scratch), DEFAULT_LIMITS, store);
      if (DECODE_ONLY && r > 0) continue;
      inFlight.push(store.appendBatch(decoded.batch));
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stats = store.stats();
  process.stdout.write(
    `${DECODE_ONLY ? 'decode' : 'decode+append'}: ${Math.round((SERIES * ROUNDS) / seconds)} samples/s; ` +
      `CPU ${((cpu.user + cpu.system) / (SERIES * ROUNDS)).toFixed(2)} µs/sample; ` +
      `${stats.series} series, ${stats.samples} samples (memory: see bench.ts)\n`
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
