/**
 * Primes V8's JIT for the whole request path (Snappy, both decoders, the known-series fast path, the
 * append and the XOR encoder) at start, with synthetic requests into a throwaway in-memory store of the
 * real classes (openScratchStorage).
 *
 * Why: real traffic reaches the branches of that path one after another — new series first, their
 * second sample (the fast path, and the encoder's second-sample branch) a round later, the general
 * case a round after that — and each time optimised code meets a branch it has no type feedback for,
 * V8 throws it away and runs the interpreter for a while. Measured in-process with 10k series: the
 * first two rounds after the series were created took 63 and 17 ms, every later one 7.5 ms. This costs
 * about a quarter of a second at start, and ~10 MB of resident memory (code and heap); a quarter of the
 * synthetic traffic left the first real rounds two to three times slower.
 */
import { openScratchStorage } from '../storage';
import { decodeV1 } from './decode-v1';
import { decodeV2 } from './decode-v2';
import type { IngestLimits } from './limits';
import { encodeV1, encodeV2, type SenderSeries } from './sender';
import { ScratchBuffer, snappyCompress, snappyUncompress } from './snappy';

const SERIES = 256;
const ROUNDS = 12;

let primed = false;

export async function primeRequestPath(limits: IngestLimits): Promise<void> {
  if (primed) return;
  primed = true;
  const scratch = new ScratchBuffer(1 << 20);
  const base = Date.now() - 3600_000;
  for (const version of [1, 2] as const) {
    const store = openScratchStorage();
    for (let round = 0; round < ROUNDS; round++) {
      const series: SenderSeries[] = Array.from({ length: SERIES }, (_, i) => ({
        labels: [
          ['__name__', `prime_${i % 7}`],
          ['job', `job-${i % 5}`],
          ['series', String(i)],
        ],
        timestamps: [base + round * 15_000 + (i % 3 === 0 ? round % 4 : 0)],
        // counters, constants and noisy floats: every branch of the value encoding
        values: [i % 3 === 0 ? round * i : i % 3 === 1 ? 42 : Math.sin(round + i) * 1e3],
      }));
      const body = snappyCompress(version === 1 ? encodeV1(series) : encodeV2(series));
      const raw = snappyUncompress(body, limits.maxDecodedBytes, scratch);
      const decoded = version === 1 ? decodeV1(raw, limits, store) : decodeV2(raw, limits, store);
      await store.appendBatch(decoded.batch);
    }
    await store.close();
  }
}
