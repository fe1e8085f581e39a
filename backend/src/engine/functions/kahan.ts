/**
 * Kahan–Neumaier compensated summation exactly as Prometheus' util/kahansum.Inc, so that sums of values
 * of very different magnitudes (1, 1e100, 1, -1e100) come out like Prometheus' (2, not 0).
 */

/** The running state of a compensated sum: the sum and its compensation term. */
export interface KahanPair {
  sum: number;
  c: number;
}

/**
 * One step on explicit state (the algorithms that rescale the compensation term need that). The
 * result goes into `out`, which may be a caller-owned scratch pair, so that hot loops do not allocate.
 */
export function kahanInc(inc: number, sum: number, c: number, out: KahanPair): void {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) {
    // An infinite sum makes the compensation meaningless (and it would become NaN).
    c = 0;
  } else if (Math.abs(sum) >= Math.abs(inc)) {
    c += sum - t + inc;
  } else {
    c += inc - t + sum;
  }
  out.sum = t;
  out.c = c;
}

export class KahanSum implements KahanPair {
  sum = 0;
  c = 0;

  add(inc: number): void {
    kahanInc(inc, this.sum, this.c, this);
  }

  /** The compensated total; an infinite sum is returned as is (the compensation would make it NaN). */
  value(): number {
    if (this.sum === Infinity || this.sum === -Infinity) {
      return this.sum;
    }
    return this.sum + this.c;
  }
}
