/**
 * rate, increase, delta (Prometheus' extrapolatedRate), irate, idelta (instantValue), resets and
 * changes over the float samples of a range window.
 */
import { possibleNonCounterInfo } from './annotations';
import type { AnnotationSink, Extrapolation, RangeFunction, RangeFunctionCall } from './types';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];
/**
 * The sink and metric name of the last counter-name check: rate runs for every series and step, and
 * operators walk a series' steps one after another, so the check (and its info annotation, which the
 * sink keeps once) is needed only when either changes.
 */
let lastSink: unknown = null;
let lastName = '';

/** Reports "metric might not be a counter" once a counter function has given a series a value. */
export function checkCounterName(name: string, annotations: AnnotationSink): void {
  if (name === lastName && annotations === lastSink) return;
  lastName = name;
  lastSink = annotations;
  if (name !== '' && !COUNTER_SUFFIXES.some((s) => name.endsWith(s))) {
    annotations.info(possibleNonCounterInfo(name));
  }
}

/**
 * The increase over the window (rangeStart, rangeEnd] of samples [from, to), extrapolated towards the
 * window's edges: all the way if the first/last sample is within 1.1 average sample intervals of the
 * edge, otherwise by half an interval; for counters, never to before the counter's extrapolated zero
 * point. Fewer than 2 samples: no value. `firstReset` is RangeWindow.firstReset (counters only).
 * Plain arguments rather than a RangeWindow: the range-function operator calls this directly for
 * every series and step, the hottest loop of most dashboards' queries.
 */
export function extrapolatedRate(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  firstReset: number,
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean
): number | undefined {
  const n = to - from;
  if (n < 2) {
    return undefined;
  }
  const firstT = ts[from];
  const lastT = ts[to - 1];
  const firstV = vs[from];
  let result = vs[to - 1] - firstV;
  if (isCounter) {
    for (let i = firstReset; i < to; i++) {
      if (vs[i] < vs[i - 1]) {
        result += vs[i - 1];
      }
    }
  }

  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;

  if (durationToStart >= extrapolationThreshold) {
    durationToStart = averageDurationBetweenSamples / 2;
  }
  if (isCounter) {
    // A counter cannot go below zero: do not extrapolate to before its zero point.
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) {
      durationToZero = sampledInterval * (firstV / result);
    }
    if (durationToZero < durationToStart) {
      durationToStart = durationToZero;
    }
  }
  if (durationToEnd >= extrapolationThreshold) {
    durationToEnd = averageDurationBetweenSamples / 2;
  }

  let factor = 1;
  if (sampledInterval !== 0) {
    factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  }
  if (isRate) {
    factor /= (rangeEnd - rangeStart) / 1000;
  }
  return result * factor;
}

function extrapolated(extrapolation: Extrapolation): RangeFunction {
  const { isCounter, isRate } = extrapolation;
  const compute = (call: RangeFunctionCall): number | undefined => {
    const { ts, vs, from, to, rangeStart, rangeEnd, firstReset } = call.window;
    const v = extrapolatedRate(ts, vs, from, to, firstReset ?? from + 1, rangeStart, rangeEnd, isCounter, isRate);
    if (v !== undefined && isCounter) checkCounterName(call.metricName, call.annotations);
    return v;
  };
  return { compute, rangeArg: 0, dropsName: true, usesResets: isCounter, extrapolation };
}

/** irate / idelta: from the last two samples; irate treats a decrease as a counter reset. */
function instantValue(call: RangeFunctionCall, isRate: boolean): number | undefined {
  const { ts, vs, from, to } = call.window;
  if (to - from < 2) {
    return undefined;
  }
  const prevV = vs[to - 2];
  const lastV = vs[to - 1];
  const sampledInterval = ts[to - 1] - ts[to - 2];
  if (sampledInterval === 0) {
    return undefined;
  }
  // After a counter reset the increase is the new value itself.
  let result = lastV;
  if (!isRate || !(lastV < prevV)) {
    result = lastV - prevV;
  }
  return isRate ? result / (sampledInterval / 1000) : result;
}

/** How many neighbouring pairs of the window's samples `counts`; no sample for an empty window. */
function countPairs(call: RangeFunctionCall, counts: (prev: number, cur: number) => boolean): number | undefined {
  const { vs, from, to } = call.window;
  if (to === from) {
    return undefined;
  }
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    if (counts(vs[i - 1], vs[i])) {
      count++;
    }
  }
  return count;
}

function resets(call: RangeFunctionCall): number | undefined {
  return countPairs(call, (prev, cur) => cur < prev);
}

function changes(call: RangeFunctionCall): number | undefined {
  return countPairs(call, (prev, cur) => cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev)));
}

function rangeFunction(compute: (call: RangeFunctionCall) => number | undefined): RangeFunction {
  return { compute, rangeArg: 0, dropsName: true };
}

export const RATE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: extrapolated({ isCounter: true, isRate: true }),
  increase: extrapolated({ isCounter: true, isRate: false }),
  delta: extrapolated({ isCounter: false, isRate: false }),
  irate: rangeFunction((call) => instantValue(call, true)),
  idelta: rangeFunction((call) => instantValue(call, false)),
  resets: rangeFunction(resets),
  changes: rangeFunction(changes),
};
