/**
 * One request's series and samples in columns, as the store takes them (AppendBatch). The decoders
 * write into a single reused builder (decoding is synchronous, so one is enough) and `finish()` hands
 * out exact-size copies: the request then holds three typed arrays and one array of series, not an
 * object and two arrays per series. That matters beyond the allocation itself: a request lives across
 * the store's fsync, so whatever it holds survives into V8's old generation.
 */
import { LITTLE_ENDIAN } from './little-endian';
import type { AppendBatch, Labels, SeriesRef, SeriesSamples } from './store-api';
import { int64Small } from './wire';

const INITIAL = 4096;
/** A builder grown beyond this by a huge request shrinks back afterwards. */
const KEEP = 1 << 16;

export class BatchBuilder {
  private ts = new Float64Array(INITIAL);
  private vals = new Float64Array(INITIAL);
  private vals8 = new Uint8Array(this.vals.buffer);
  /** Samples so far. */
  n = 0;
  private series: Array<SeriesRef | Labels> = [];
  /** Series so far; `series` is reused, its slots past `count` are stale. */
  private count = 0;
  private starts = new Uint32Array(INITIAL + 1);

  /**
   * Adds a sample: its int64 timestamp as two int32 halves (passing the double itself to a call would
   * box it), its value the little-endian float64 at buf[at] (at < 0: the default 0). Returns false for
   * a timestamp outside ±2^52 ms (stored as NaN; the request is then refused).
   */
  push(tHi: number, tLo: number, buf: Uint8Array, at: number): boolean {
    if (this.n === this.ts.length) this.grow();
    const i = this.n++;
    // The usual case inline (a double returned from a call that is not inlined is boxed).
    const hi = tHi | 0;
    const t = hi >= 0 && hi < 0x100000 ? hi * 4294967296 + (tLo >>> 0) : int64Small(tHi, tLo);
    this.ts[i] = t;
    const o = 8 * i;
    const v = this.vals8;
    if (at < 0) {
      for (let j = 0; j < 8; j++) v[o + j] = 0;
    } else if (LITTLE_ENDIAN) {
      // Byte copies keep every NaN payload (the stale marker) exactly.
      for (let j = 0; j < 8; j++) v[o + j] = buf[at + j];
    } else {
      for (let j = 0; j < 8; j++) v[o + j] = buf[at + 7 - j];
    }
    return t === t;
  }

  /** The timestamp of sample i (for order checks). */
  timestamp(i: number): number {
    return this.ts[i];
  }

  /** Ends a series: its samples are those pushed since the previous series ended. */
  endSeries(entry: SeriesRef | Labels): void {
    const k = this.count++;
    if (k < this.series.length) this.series[k] = entry;
    else this.series.push(entry);
    if (k + 2 > this.starts.length) {
      const starts = new Uint32Array(2 * this.starts.length);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[k + 1] = this.n;
  }

  finish(): AppendBatch {
    const batch: AppendBatch = {
      series: this.series.slice(0, this.count),
      starts: this.starts.slice(0, this.count + 1),
      timestamps: this.ts.slice(0, this.n),
      values: this.vals.slice(0, this.n),
    };
    this.reset();
    return batch;
  }

  reset(): void {
    this.n = 0;
    // Drop references to the last request's series, which would otherwise stay reachable from here.
    this.series.fill(undefined as unknown as Labels, 0, this.count);
    this.count = 0;
    if (this.ts.length > KEEP) this.allocate(INITIAL);
    if (this.series.length > KEEP) this.series = [];
    if (this.starts.length > KEEP + 1) this.starts = new Uint32Array(INITIAL + 1);
  }

  private grow(): void {
    const ts = this.ts;
    const vals = this.vals;
    this.allocate(2 * ts.length);
    this.ts.set(ts);
    this.vals.set(vals);
  }

  private allocate(capacity: number): void {
    this.ts = new Float64Array(capacity);
    this.vals = new Float64Array(capacity);
    this.vals8 = new Uint8Array(this.vals.buffer);
  }
}

/** The batch as one SeriesSamples per series, for a store without `appendBatch`. */
export function toSeriesSamples(batch: AppendBatch): SeriesSamples[] {
  const { series, starts, timestamps, values } = batch;
  return series.map((entry, k) => ({
    labels: Array.isArray(entry) ? (entry as Labels) : (entry as SeriesRef).labels,
    timestamps: timestamps.subarray(starts[k], starts[k + 1]),
    values: values.subarray(starts[k], starts[k + 1]),
  }));
}
