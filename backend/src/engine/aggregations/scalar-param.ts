import { checkAborted, stepCount, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';

/**
 * The per-step values of an aggregation's scalar parameter (k, φ or the ratio). Prometheus evaluates
 * the parameter over the whole range first and checks its extremes before aggregating anything
 * (e.g. any NaN k fails the query, even at steps without input), so the operator is drained up front;
 * it holds one number per step.
 */
export interface ScalarParam {
  values: Float64Array;
  /** Like Go's math.Min/Max folds from ±MaxFloat64: NaN as soon as any value is NaN. */
  min: number;
  max: number;
  hasNaN: boolean;
}

export async function evaluateScalarParam(ctx: QueryContext, param: VectorOperator): Promise<ScalarParam> {
  const values = new Float64Array(stepCount(ctx)).fill(NaN);
  let step = 0;
  for (let batch = await param.next(); batch !== null; batch = await param.next()) {
    checkAborted(ctx.signal);
    for (const vector of batch) {
      if (step < values.length && vector.values.length > 0) {
        values[step] = vector.values[0];
      }
      step++;
    }
  }
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  let hasNaN = false;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    hasNaN ||= Number.isNaN(v);
  }
  return { values, min, max, hasNaN };
}
