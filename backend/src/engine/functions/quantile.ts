/**
 * Prometheus' quantile over plain values (promql/quantile.go), for the quantile aggregation,
 * quantile_over_time and mad_over_time: NaNs sort first, and between two ranks the result is
 * interpolated linearly.
 */

/** Ascending with NaN first, as Prometheus' vectorByValueHeap orders values. */
function compareNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) {
    return Number.isNaN(b) ? 0 : -1;
  }
  if (Number.isNaN(b)) {
    return 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts ascending with NaN first, keeping equal values (0 and -0) in input order. */
export function sortNaNFirst(values: number[]): void {
  values.sort(compareNaNFirst);
}

/**
 * The φ-quantile of `values`: NaN for no values or NaN φ, ∓Inf for φ out of [0, 1]; otherwise `sort`
 * sorts them in place (ascending, NaN first) and the ranks are read from that order. Which of 0
 * and -0 lands on a rank depends on the sort: the quantile aggregation passes Go's algorithm.
 */
export function quantile(q: number, values: number[], sort: (values: number[]) => void = sortNaNFirst): number {
  if (values.length === 0 || Number.isNaN(q)) {
    return NaN;
  }
  if (q < 0) {
    return -Infinity;
  }
  if (q > 1) {
    return Infinity;
  }
  sort(values);
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  // An exact rank must not mix in the neighbour: Inf * 0 would turn the result into NaN.
  if (weight === 0) {
    return values[lowerIndex];
  }
  return values[lowerIndex] * (1 - weight) + values[upperIndex] * weight;
}
