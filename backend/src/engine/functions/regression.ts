/** deriv and predict_linear: least-squares linear regression over a range window. */
import { KahanSum } from './kahan';
import type { RangeFunction, RangeFunctionCall, RangeWindow } from './types';

/**
 * Slope (per second) and the value at `interceptTime` (ms). x is measured from interceptTime, a time
 * near the samples, so that x² stays small enough for float precision.
 */
function linearRegression(w: RangeWindow, interceptTime: number): { slope: number; intercept: number } {
  const { ts, vs, from, to } = w;
  const n = to - from;
  const sumX = new KahanSum();
  const sumY = new KahanSum();
  const sumXY = new KahanSum();
  const sumX2 = new KahanSum();
  const initY = vs[from];
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i];
    if (constY && i > from && y !== initY) {
      constY = false;
    }
    const x = (ts[i] - interceptTime) / 1e3;
    sumX.add(x);
    sumY.add(y);
    sumXY.add(x * y);
    sumX2.add(x * x);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) {
      return { slope: NaN, intercept: NaN };
    }
    return { slope: 0, intercept: initY };
  }
  // Prometheus adds the compensation terms unconditionally here (also to infinite sums).
  const sx = sumX.sum + sumX.c;
  const sy = sumY.sum + sumY.c;
  const sxy = sumXY.sum + sumXY.c;
  const sx2 = sumX2.sum + sumX2.c;
  const covXY = sxy - (sx * sy) / n;
  const varX = sx2 - (sx * sx) / n;
  const slope = covXY / varX;
  const intercept = sy / n - (slope * sx) / n;
  return { slope, intercept };
}

function deriv(call: RangeFunctionCall): number | undefined {
  const w = call.window;
  if (w.to - w.from < 2) {
    return undefined;
  }
  return linearRegression(w, w.ts[w.from]).slope;
}

/** The value `args[0]` seconds after the step time, extrapolated from the regression. */
function predictLinear(call: RangeFunctionCall): number | undefined {
  const w = call.window;
  if (w.to - w.from < 2) {
    return undefined;
  }
  const { slope, intercept } = linearRegression(w, call.t ?? w.rangeEnd);
  return slope * call.args[0] + intercept;
}

export const REGRESSION_FUNCTIONS: Record<string, RangeFunction> = {
  deriv: { compute: deriv, rangeArg: 0, dropsName: true },
  predict_linear: { compute: predictLinear, rangeArg: 0, dropsName: true },
};
