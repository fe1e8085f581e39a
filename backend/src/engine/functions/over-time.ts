/** The *_over_time aggregations of a range window's float samples. */
import { invalidQuantileWarning } from './annotations';
import { KahanSum, kahanInc, type KahanPair } from './kahan';
import { quantile } from './quantile';
import { slidingAvg, slidingMax, slidingMin, slidingSum, type SlidingState } from './sliding';
import type { RangeFunction, RangeFunctionCall, RangeWindow } from './types';

function windowValues(w: RangeWindow): number[] {
  const out: number[] = [];
  for (let i = w.from; i < w.to; i++) {
    out.push(w.vs[i]);
  }
  return out;
}

function sumOverTime({ vs, from, to }: RangeWindow): number {
  const sum = new KahanSum();
  for (let i = from; i < to; i++) {
    sum.add(vs[i]);
  }
  return sum.value();
}

/**
 * The direct mean (Kahan sum / count) is the most precise; only when the sum overflows does it switch
 * to the incremental mean, which cannot overflow for finite inputs.
 */
function avgOverTime({ vs, from, to }: RangeWindow): number {
  let sum = vs[from];
  let count = 1;
  let mean = 0;
  let kahanC = 0;
  let incrementalMean = false;
  const k: KahanPair = { sum: 0, c: 0 };
  for (let i = from + 1; i < to; i++) {
    const f = vs[i];
    count = i - from + 1;
    if (!incrementalMean) {
      kahanInc(f, sum, kahanC, k);
      if (k.sum !== Infinity && k.sum !== -Infinity) {
        sum = k.sum;
        kahanC = k.c;
        continue;
      }
      incrementalMean = true;
      mean = sum / (count - 1);
      kahanC /= count - 1;
    }
    const q = (count - 1) / count;
    kahanInc(f / count, q * mean, q * kahanC, k);
    mean = k.sum;
    kahanC = k.c;
  }
  if (incrementalMean) {
    return mean + kahanC;
  }
  return sum / count + kahanC / count;
}

/** Welford's online variance with Kahan-compensated mean and sum of squares. */
function varianceOverTime({ vs, from, to }: RangeWindow): number {
  let count = 0;
  const mean: KahanPair = { sum: 0, c: 0 };
  const aux: KahanPair = { sum: 0, c: 0 };
  for (let i = from; i < to; i++) {
    const f = vs[i];
    count++;
    const delta = f - (mean.sum + mean.c);
    kahanInc(delta / count, mean.sum, mean.c, mean);
    kahanInc(delta * (f - (mean.sum + mean.c)), aux.sum, aux.c, aux);
  }
  return (aux.sum + aux.c) / count;
}

/**
 * The index of the extreme sample: a NaN is replaced by any later value, so NaN is returned only when
 * all samples are NaN. `orEqual` picks the latest of equal extremes (ts_of_max/min_over_time).
 */
function extremeIndex({ vs, from, to }: RangeWindow, max: boolean, orEqual: boolean): number {
  let best = from;
  for (let i = from; i < to; i++) {
    const cur = vs[i];
    const bestV = vs[best];
    const better = max ? cur > bestV : cur < bestV;
    if (better || (orEqual && cur === bestV) || Number.isNaN(bestV)) {
      best = i;
    }
  }
  return best;
}

function madOverTime(w: RangeWindow): number {
  const values = windowValues(w);
  // A NaN makes the median, and so the deviation, undefined.
  if (values.some((v) => Number.isNaN(v))) {
    return NaN;
  }
  const median = quantile(0.5, values);
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.abs(values[i] - median);
  }
  return quantile(0.5, values);
}

function quantileOverTime(call: RangeFunctionCall): number {
  const q = call.args[0];
  if (Number.isNaN(q) || q < 0 || q > 1) {
    call.annotations.warn(invalidQuantileWarning(q));
  }
  return quantile(q, windowValues(call.window));
}

/** A function of a non-empty window; an empty window yields no sample. */
function overTime(
  compute: (w: RangeWindow) => number,
  options: { rangeArg?: number; dropsName?: boolean; sliding?: () => SlidingState } = {}
): RangeFunction {
  return {
    compute: (call) => (call.window.to > call.window.from ? compute(call.window) : undefined),
    rangeArg: options.rangeArg ?? 0,
    dropsName: options.dropsName ?? true,
    sliding: options.sliding,
  };
}

export const OVER_TIME_FUNCTIONS: Record<string, RangeFunction> = {
  sum_over_time: overTime(sumOverTime, { sliding: slidingSum }),
  avg_over_time: overTime(avgOverTime, { sliding: slidingAvg }),
  count_over_time: overTime((w) => w.to - w.from),
  min_over_time: overTime((w) => w.vs[extremeIndex(w, false, false)], { sliding: slidingMin }),
  max_over_time: overTime((w) => w.vs[extremeIndex(w, true, false)], { sliding: slidingMax }),
  stdvar_over_time: overTime(varianceOverTime),
  stddev_over_time: overTime((w) => Math.sqrt(varianceOverTime(w))),
  mad_over_time: overTime(madOverTime),
  present_over_time: overTime(() => 1),
  // last/first_over_time act like an offset, so they keep the metric name.
  last_over_time: overTime((w) => w.vs[w.to - 1], { dropsName: false }),
  first_over_time: overTime((w) => w.vs[w.from], { dropsName: false }),
  ts_of_last_over_time: overTime((w) => w.ts[w.to - 1] / 1000),
  ts_of_first_over_time: overTime((w) => w.ts[w.from] / 1000),
  ts_of_max_over_time: overTime((w) => w.ts[extremeIndex(w, true, true)] / 1000),
  ts_of_min_over_time: overTime((w) => w.ts[extremeIndex(w, false, true)] / 1000),
  quantile_over_time: {
    compute: (call) => (call.window.to > call.window.from ? quantileOverTime(call) : undefined),
    rangeArg: 1,
    dropsName: true,
  },
};
