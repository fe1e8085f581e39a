/**
 * The element-wise functions of an instant vector, by name. All of them drop the metric name; the
 * time-less forms of the date functions (`year()`) are planned as `year(vector(time()))`.
 */
import { civilTime, daysInMonth, type CivilTime } from './calendar';
import type { InstantFunction } from './types';

function simple(f: (v: number) => number): InstantFunction {
  return { compute: (v) => f(v), vectorArg: 0, dropsName: true };
}

/** A date function of a sample value taken as Unix seconds. */
function date(field: (t: CivilTime) => number): InstantFunction {
  return simple((v) => field(civilTime(v)));
}

/** NaN bounds make every value NaN; max < min yields no samples (see yieldsAt). */
function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, v));
}

/** Rounds half up to a multiple of toNearest; dividing by the inverse is more precise in practice. */
function round(v: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

/** The histogram_* functions only read native histograms, which the engine does not store. */
const NATIVE_HISTOGRAM_ONLY: InstantFunction = {
  compute: () => NaN,
  yieldsAt: () => false,
  vectorArg: 0,
  dropsName: true,
};

export const INSTANT_FUNCTIONS: Record<string, InstantFunction> = {
  abs: simple(Math.abs),
  ceil: simple(Math.ceil),
  floor: simple(Math.floor),
  exp: simple(Math.exp),
  sqrt: simple(Math.sqrt),
  ln: simple(Math.log),
  log2: simple(Math.log2),
  log10: simple(Math.log10),
  sgn: simple((v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  round: { compute: (v, args) => round(v, args.length > 0 ? args[0] : 1), vectorArg: 0, dropsName: true },
  clamp: {
    compute: (v, args) => clamp(v, args[0], args[1]),
    yieldsAt: (args) => !(args[1] < args[0]),
    vectorArg: 0,
    dropsName: true,
  },
  clamp_min: { compute: (v, args) => clamp(v, args[0], Infinity), vectorArg: 0, dropsName: true },
  clamp_max: { compute: (v, args) => clamp(v, -Infinity, args[0]), vectorArg: 0, dropsName: true },
  sin: simple(Math.sin),
  cos: simple(Math.cos),
  tan: simple(Math.tan),
  asin: simple(Math.asin),
  acos: simple(Math.acos),
  atan: simple(Math.atan),
  sinh: simple(Math.sinh),
  cosh: simple(Math.cosh),
  tanh: simple(Math.tanh),
  asinh: simple(Math.asinh),
  acosh: simple(Math.acosh),
  atanh: simple(Math.atanh),
  deg: simple((v) => v * (180 / Math.PI)),
  rad: simple((v) => v * (Math.PI / 180)),
  year: date((t) => t.year),
  month: date((t) => t.month),
  day_of_month: date((t) => t.day),
  day_of_year: date((t) => t.dayOfYear),
  day_of_week: date((t) => t.dayOfWeek),
  days_in_month: date((t) => daysInMonth(t.year, t.month)),
  hour: date((t) => t.hour),
  minute: date((t) => t.minute),
  histogram_count: NATIVE_HISTOGRAM_ONLY,
  histogram_sum: NATIVE_HISTOGRAM_ONLY,
  histogram_avg: NATIVE_HISTOGRAM_ONLY,
  histogram_stddev: NATIVE_HISTOGRAM_ONLY,
  histogram_stdvar: NATIVE_HISTOGRAM_ONLY,
};
