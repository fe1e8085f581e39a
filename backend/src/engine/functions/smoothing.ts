/** double_exponential_smoothing (experimental successor of holt_winters) and integral (experimental). */
import { QueryError } from '../api';
import { formatGoFixed } from '../parser/go-format';
import { invalidIntegralStrategyWarning } from './annotations';
import { kahanInc, type KahanPair } from './kahan';
import type { RangeFunction, RangeFunctionCall } from './types';

/** The trend at step i: the first trend is the raw difference, later ones are smoothed by tf. */
function trendValue(i: number, tf: number, s0: number, s1: number, b: number): number {
  if (i === 0) {
    return b;
  }
  return tf * (s1 - s0) + (1 - tf) * b;
}

function doubleExponentialSmoothing(call: RangeFunctionCall): number | undefined {
  const { vs, from, to } = call.window;
  if (to === from) {
    return undefined;
  }
  const [sf, tf] = call.args;
  // Prometheus checks the factors only for windows with samples, and fails the whole query (a NaN
  // factor passes its check).
  // Their %f keeps JS's exponent form from 1e21 on (formatGoFixed's second argument), as it always has.
  if (sf <= 0 || sf >= 1) {
    throw new QueryError(
      'execution',
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFixed(sf, true)}`
    );
  }
  if (tf <= 0 || tf >= 1) {
    throw new QueryError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFixed(tf, true)}`);
  }
  if (to - from < 2) {
    return undefined;
  }
  let s0 = 0;
  let s1 = vs[from];
  let b = vs[from + 1] - vs[from];
  for (let i = from + 1; i < to; i++) {
    const x = sf * vs[i];
    b = trendValue(i - from - 1, tf, s0, s1, b);
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

const LEFT_POINT = 0;
const RIGHT_POINT = 1;
const TRAPEZOIDAL = 2;

function integralStrategy(call: RangeFunctionCall): number {
  if (call.args.length === 0) {
    return TRAPEZOIDAL;
  }
  const s = call.args[0];
  if (!Number.isInteger(s) || s < LEFT_POINT || s > TRAPEZOIDAL) {
    call.annotations.warn(invalidIntegralStrategyWarning(s));
    return TRAPEZOIDAL;
  }
  return s;
}

/** NaN counts as zero, so that neighbouring values carry the area around a gap. */
function nanAsZero(v: number): number {
  return Number.isNaN(v) ? 0 : v;
}

/** The area under the samples over time (value × seconds) by the left-point, right-point or trapezoid rule. */
function integral(call: RangeFunctionCall): number | undefined {
  const { ts, vs, from, to } = call.window;
  if (to === from) {
    return undefined;
  }
  const strategy = integralStrategy(call);
  const area: KahanPair = { sum: 0, c: 0 };
  // The compensated value the rule gives for the interval ending at a sample, before × seconds.
  const height: KahanPair = { sum: 0, c: 0 };
  let prevT = 0;
  let prevV = 0;
  for (let i = from; i < to; i++) {
    const cur = nanAsZero(vs[i]);
    const prev = nanAsZero(prevV);
    height.sum = 0;
    height.c = 0;
    if (strategy === LEFT_POINT) {
      height.sum = prev;
    } else if (strategy === RIGHT_POINT) {
      height.sum = cur;
    } else if (prev !== 0 || cur !== 0) {
      kahanInc(cur, prev, 0, height);
      if (!Number.isFinite(height.sum) && Number.isFinite(cur) && Number.isFinite(prev)) {
        // Halve before adding so that two large finite values do not overflow.
        kahanInc(cur / 2, prev / 2, 0, height);
      } else {
        height.sum /= 2;
        height.c /= 2;
      }
    }
    if (i > from && (height.sum !== 0 || height.c !== 0)) {
      const deltaT = (ts[i] - prevT) / 1000;
      kahanInc(height.sum * deltaT, area.sum, area.c + height.c * deltaT, area);
    }
    prevT = ts[i];
    prevV = vs[i];
  }
  if (area.sum === Infinity || area.sum === -Infinity) {
    return area.sum;
  }
  return area.sum + area.c;
}

export const SMOOTHING_FUNCTIONS: Record<string, RangeFunction> = {
  double_exponential_smoothing: { compute: doubleExponentialSmoothing, rangeArg: 0, dropsName: true },
  integral: { compute: integral, rangeArg: 0, dropsName: true },
};
