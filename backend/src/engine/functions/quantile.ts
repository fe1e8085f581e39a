/**
 * Prometheus' quantile over plain values (quantile_over_time, mad_over_time): NaNs sort first, and
 * between two ranks the result is interpolated linearly.
 */

/** Ascending with NaN first, as Prometheus' vectorByValueHeap orders values. */
export function compareNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) {
    return Number.isNaN(b) ? 0 : -1;
  }
  if (Number.isNaN(b)) {
    return 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The φ-quantile of `values` (sorted in place); NaN for no values or NaN φ, ∓Inf for φ out of [0, 1]. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) {
    return NaN;
  }
  if (q < 0) {
    return -Infinity;
  }
  if (q > 1) {
    return Infinity;
  }
  values.sort(compareNaNFirst);
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
