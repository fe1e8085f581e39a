/**
 * The shapes of PromQL function implementations. The operators (backend/src/engine/operators/) own
 * the iteration over steps and series; the functions here only compute one value.
 */

import type { SlidingState } from './sliding';

/**
 * The float samples of one series inside one step's range window, stale markers already removed:
 * indexes [from, to) of `ts`/`vs`, ascending in time. The window is (rangeStart, rangeEnd] in ms;
 * rangeEnd is the evaluation time after offset and `@` were applied.
 */
export interface RangeWindow {
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  from: number;
  to: number;
  rangeStart: number;
  rangeEnd: number;
  /**
   * For functions with `usesResets`: the index of the first sample in (from, to) that is below its
   * predecessor (a counter reset), or ≥ to when there is none. Operators keep it with a cursor that
   * only moves forward, so rate need not look at every pair of every window. Unset means from + 1.
   */
  firstReset?: number;
}

/** Where a function reports Prometheus annotations; the operator adds the expression's position. */
export interface AnnotationSink {
  warn(message: string): void;
  info(message: string): void;
}

export interface RangeFunctionCall {
  window: RangeWindow;
  /**
   * The step's evaluation time in ms, before offset and `@` (Prometheus' enh.Ts). predict_linear
   * extrapolates from it, not from the window's end; operators should always set it (without it,
   * predict_linear falls back to window.rangeEnd, which is wrong under offset or `@`).
   */
  t?: number;
  /** The function's other arguments (scalars) at this step, in call order without the range argument. */
  args: readonly number[];
  /** The series' metric name ('' if none), for annotations such as "metric might not be a counter". */
  metricName: string;
  annotations: AnnotationSink;
}

/** rate, increase and delta: Prometheus' extrapolatedRate (rate.ts) with its two switches. */
export interface Extrapolation {
  isCounter: boolean;
  isRate: boolean;
}

export interface RangeFunction {
  /** The value at this step, or undefined when the function yields no sample. */
  compute(call: RangeFunctionCall): number | undefined;
  /** Position of the range-vector argument in the call's argument list. */
  rangeArg: number;
  /** Whether the result drops the metric name (everything except last/first_over_time and the like). */
  dropsName: boolean;
  /** Whether compute() reads window.firstReset. */
  usesResets?: boolean;
  /** rate/increase/delta: operators may call rate.ts' extrapolatedRate directly instead of compute(). */
  extrapolation?: Extrapolation;
  /**
   * An incremental form (see sliding.ts) for windows that only move forward: one state per series;
   * where its slide() returns undefined, compute() gives the value.
   */
  sliding?: () => SlidingState;
}

export interface InstantFunction {
  /** `v` is the sample value, `args` the other (scalar) arguments at this step, `t` the step time (ms). */
  compute(v: number, args: readonly number[], t: number): number;
  /**
   * When present and false for this step's arguments, the function outputs no sample at all at this
   * step (clamp with max < min; the histogram_* functions, which ignore float samples).
   */
  yieldsAt?(args: readonly number[]): boolean;
  /** Position of the instant-vector argument in the call's argument list. */
  vectorArg: number;
  dropsName: boolean;
}
