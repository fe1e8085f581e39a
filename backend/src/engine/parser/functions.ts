/**
 * The PromQL function table: Prometheus' promql/parser/functions.go (3.16) with the same argument
 * types, variadic counts, return types and experimental flags, so that arity and type errors read
 * exactly like Prometheus'. Experimental functions are accepted (the conformance suite enables them);
 * the engine decides which it can evaluate.
 */
import type { FunctionSignature, ValueType } from './ast';

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

function fn(
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  opts: { variadic?: number; experimental?: boolean } = {}
): FunctionSignature {
  return { name, argTypes, variadic: opts.variadic ?? 0, returnType, experimental: opts.experimental ?? false };
}

const EXP = { experimental: true };
/** Date functions take an optional vector (default: vector(time())). */
const OPTIONAL_VECTOR = { variadic: 1 };

const TABLE: FunctionSignature[] = [
  fn('abs', [V], V),
  fn('absent', [V], V),
  fn('absent_over_time', [M], V),
  fn('acos', [V], V),
  fn('acosh', [V], V),
  fn('asin', [V], V),
  fn('asinh', [V], V),
  fn('atan', [V], V),
  fn('atanh', [V], V),
  fn('avg_over_time', [M], V),
  fn('ceil', [V], V),
  fn('changes', [M], V),
  fn('clamp', [V, S, S], V),
  fn('clamp_max', [V, S], V),
  fn('clamp_min', [V, S], V),
  fn('cos', [V], V),
  fn('cosh', [V], V),
  fn('count_over_time', [M], V),
  fn('days_in_month', [V], V, OPTIONAL_VECTOR),
  fn('day_of_month', [V], V, OPTIONAL_VECTOR),
  fn('day_of_week', [V], V, OPTIONAL_VECTOR),
  fn('day_of_year', [V], V, OPTIONAL_VECTOR),
  fn('deg', [V], V),
  fn('delta', [M], V),
  fn('deriv', [M], V),
  fn('double_exponential_smoothing', [M, S, S], V, EXP),
  fn('end', [], S, EXP),
  fn('exp', [V], V),
  fn('first_over_time', [M], V),
  fn('floor', [V], V),
  fn('histogram_avg', [V], V),
  fn('histogram_count', [V], V),
  fn('histogram_fraction', [S, S, V], V),
  fn('histogram_quantile', [S, V], V),
  fn('histogram_quantiles', [V, STR, S, S], V, { variadic: 9, experimental: true }),
  fn('histogram_stddev', [V], V),
  fn('histogram_stdvar', [V], V),
  fn('histogram_sum', [V], V),
  fn('hour', [V], V, OPTIONAL_VECTOR),
  fn('idelta', [M], V),
  fn('increase', [M], V),
  fn('info', [V, V], V, { variadic: 1, experimental: true }),
  fn('integral', [M, S], V, { variadic: 1, experimental: true }),
  fn('irate', [M], V),
  fn('label_join', [V, STR, STR, STR], V, { variadic: -1 }),
  fn('label_replace', [V, STR, STR, STR, STR], V),
  fn('last_over_time', [M], V),
  fn('ln', [V], V),
  fn('log10', [V], V),
  fn('log2', [V], V),
  fn('mad_over_time', [M], V, EXP),
  fn('max_of', [S, S], S, EXP),
  fn('max_over_time', [M], V),
  fn('min_of', [S, S], S, EXP),
  fn('min_over_time', [M], V),
  fn('minute', [V], V, OPTIONAL_VECTOR),
  fn('month', [V], V, OPTIONAL_VECTOR),
  fn('pi', [], S),
  fn('predict_linear', [M, S], V),
  fn('present_over_time', [M], V),
  fn('quantile_over_time', [S, M], V),
  fn('rad', [V], V),
  fn('range', [], S, EXP),
  fn('rate', [M], V),
  fn('resets', [M], V),
  fn('round', [V, S], V, { variadic: 1 }),
  fn('scalar', [V], S),
  fn('sgn', [V], V),
  fn('sin', [V], V),
  fn('sinh', [V], V),
  fn('sort', [V], V),
  fn('sort_by_label', [V, STR], V, { variadic: -1, experimental: true }),
  fn('sort_by_label_desc', [V, STR], V, { variadic: -1, experimental: true }),
  fn('sort_desc', [V], V),
  fn('sqrt', [V], V),
  fn('start', [], S, EXP),
  fn('start_timestamp', [V], V, EXP),
  fn('stddev_over_time', [M], V),
  fn('stdvar_over_time', [M], V),
  fn('step', [], S, EXP),
  fn('sum_over_time', [M], V),
  fn('tan', [V], V),
  fn('tanh', [V], V),
  fn('time', [], S),
  fn('timestamp', [V], V),
  fn('ts_of_first_over_time', [M], V, EXP),
  fn('ts_of_last_over_time', [M], V, EXP),
  fn('ts_of_max_over_time', [M], V, EXP),
  fn('ts_of_min_over_time', [M], V, EXP),
  fn('vector', [S], V),
  fn('year', [V], V, OPTIONAL_VECTOR),
];

/** Every function by name (names are case-sensitive in PromQL). */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(TABLE.map((f) => [f.name, Object.freeze(f)]));

export function getFunction(name: string): FunctionSignature | undefined {
  return FUNCTIONS.get(name);
}

/**
 * Functions whose result depends on the evaluation time itself, so `@` cannot pin them
 * (Prometheus' promql.AtModifierUnsafeFunctions); the conformance runner skips its `@` re-checks for them.
 */
export const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'end',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'range',
  'start',
  'step',
  'time',
  'timestamp',
]);
