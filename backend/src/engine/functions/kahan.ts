/**
 * Kahan–Neumaier compensated summation exactly as Prometheus' util/kahansum.Inc, so that sums of values
 * of very different magnitudes (1, 1e100, 1, -1e100) come out like Prometheus' (2, not 0).
 */
export class KahanSum {
  sum = 0;
  c = 0;

  add(inc: number): void {
    const t = this.sum + inc;
    if (t === Infinity || t === -Infinity) {
      this.c = 0;
    } else if (Math.abs(this.sum) >= Math.abs(inc)) {
      this.c += this.sum - t + inc;
    } else {
      this.c += inc - t + this.sum;
    }
    this.sum = t;
  }

  /** The compensated total; an infinite sum is returned as is (the compensation would make it NaN). */
  value(): number {
    if (this.sum === Infinity || this.sum === -Infinity) {
      return this.sum;
    }
    return this.sum + this.c;
  }
}

/** One Kahan step on explicit state, for the algorithms that rescale the compensation term. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) {
    return [t, 0];
  }
  if (Math.abs(sum) >= Math.abs(inc)) {
    return [t, c + (sum - t + inc)];
  }
  return [t, c + (inc - t + sum)];
}
