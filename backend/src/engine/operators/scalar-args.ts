import { QueryError } from '../api';
import type { VectorOperator } from '../model/operator';
import { scalarValue } from '../model/step-vector';

/**
 * Pulls one batch from each scalar-argument operator and returns, per step of `times`, the argument
 * values in order (a scalar operator has exactly one value per step; NaN if it has none).
 */
export async function zipScalarArgs(
  args: readonly VectorOperator[],
  times: readonly number[] | null
): Promise<number[][]> {
  const perArg: number[][] = [];
  for (const op of args) {
    const batch = await op.next();
    if (times === null) continue;
    if (batch === null || batch.length !== times.length) {
      throw new QueryError('internal', 'scalar argument ended before the query range');
    }
    perArg.push(batch.map(scalarValue));
  }
  if (times === null) return [];
  return times.map((_, i) => perArg.map((vals) => vals[i]));
}
