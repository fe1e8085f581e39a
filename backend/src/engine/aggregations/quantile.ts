import { goSort } from './go-sort';

/**
 * Prometheus' quantile over the values of one group (promql/quantile.go): φ outside [0, 1] gives
 * ±Inf, NaN values sort first, and a rank between two values interpolates linearly. Sorts `values`
 * (in input order) with Go's algorithm, so even which of 0 and -0 lands on a rank matches.
 */
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
  goSort(
    {
      less: (i, j) => Number.isNaN(values[i]) || values[i] < values[j],
      swap: (i, j) => {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
      },
    },
    values.length
  );
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  if (weight === 0) {
    // Interpolating with weight 0 would turn a neighbouring ±Inf into NaN.
    return values[lowerIndex];
  }
  return values[lowerIndex] * (1 - weight) + values[upperIndex] * weight;
}
