/**
 * Prometheus' compensated summation (util/kahansum.Inc, Kahan with Neumaier's improvement). The
 * result goes into a caller-owned pair so the hot loop does not allocate.
 */
export interface KahanPair {
  sum: number;
  c: number;
}

export function kahanInc(inc: number, sum: number, c: number, out: KahanPair): void {
  const t = sum + inc;
  if (t > Number.MAX_VALUE || t < -Number.MAX_VALUE) {
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
