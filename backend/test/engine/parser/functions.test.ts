/** The function table against Prometheus 3.16's functions.go (expected texts come from its parser). */
import { QueryError } from '../../../src/engine/api';
import { AT_MODIFIER_UNSAFE_FUNCTIONS, FUNCTIONS, getFunction } from '../../../src/engine/parser/functions';
import { parseExpr } from '../../../src/engine/parser/parse';
import { printExpr } from '../../../src/engine/parser/printer';

describe('the function table', () => {
  it('has every function of Prometheus 3.16', () => {
    expect(FUNCTIONS.size).toBe(91);
    expect(getFunction('rate')).toEqual({
      name: 'rate',
      argTypes: ['matrix'],
      variadic: 0,
      returnType: 'vector',
      experimental: false,
    });
    expect(getFunction('label_join')).toMatchObject({
      argTypes: ['vector', 'string', 'string', 'string'],
      variadic: -1,
    });
    expect(getFunction('histogram_quantiles')).toMatchObject({ variadic: 9, experimental: true });
    expect(getFunction('round')).toMatchObject({ argTypes: ['vector', 'scalar'], variadic: 1 });
    expect(getFunction('time')).toMatchObject({ argTypes: [], returnType: 'scalar' });
    expect(getFunction('Rate')).toBeUndefined();
  });

  it('marks the @-unsafe functions', () => {
    expect([...AT_MODIFIER_UNSAFE_FUNCTIONS].every((f) => FUNCTIONS.has(f))).toBe(true);
    expect(AT_MODIFIER_UNSAFE_FUNCTIONS.has('timestamp')).toBe(true);
  });

  // Every function with no arguments and with 14: Prometheus checks the count first, then the types.
  it.each([
    ['abs()', '1:1: parse error: expected 1 argument(s) in call to "abs", got 0'],
    [
      'abs(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "abs", got 14',
    ],
    ['absent()', '1:1: parse error: expected 1 argument(s) in call to "absent", got 0'],
    [
      'absent(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "absent", got 14',
    ],
    ['absent_over_time()', '1:1: parse error: expected 1 argument(s) in call to "absent_over_time", got 0'],
    [
      'absent_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "absent_over_time", got 14',
    ],
    ['acos()', '1:1: parse error: expected 1 argument(s) in call to "acos", got 0'],
    [
      'acos(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "acos", got 14',
    ],
    ['acosh()', '1:1: parse error: expected 1 argument(s) in call to "acosh", got 0'],
    [
      'acosh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "acosh", got 14',
    ],
    ['asin()', '1:1: parse error: expected 1 argument(s) in call to "asin", got 0'],
    [
      'asin(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "asin", got 14',
    ],
    ['asinh()', '1:1: parse error: expected 1 argument(s) in call to "asinh", got 0'],
    [
      'asinh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "asinh", got 14',
    ],
    ['atan()', '1:1: parse error: expected 1 argument(s) in call to "atan", got 0'],
    [
      'atan(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "atan", got 14',
    ],
    ['atanh()', '1:1: parse error: expected 1 argument(s) in call to "atanh", got 0'],
    [
      'atanh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "atanh", got 14',
    ],
    ['avg_over_time()', '1:1: parse error: expected 1 argument(s) in call to "avg_over_time", got 0'],
    [
      'avg_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "avg_over_time", got 14',
    ],
    ['ceil()', '1:1: parse error: expected 1 argument(s) in call to "ceil", got 0'],
    [
      'ceil(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ceil", got 14',
    ],
    ['changes()', '1:1: parse error: expected 1 argument(s) in call to "changes", got 0'],
    [
      'changes(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "changes", got 14',
    ],
    ['clamp()', '1:1: parse error: expected 3 argument(s) in call to "clamp", got 0'],
    [
      'clamp(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 3 argument(s) in call to "clamp", got 14',
    ],
    ['clamp_max()', '1:1: parse error: expected 2 argument(s) in call to "clamp_max", got 0'],
    [
      'clamp_max(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "clamp_max", got 14',
    ],
    ['clamp_min()', '1:1: parse error: expected 2 argument(s) in call to "clamp_min", got 0'],
    [
      'clamp_min(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "clamp_min", got 14',
    ],
    ['cos()', '1:1: parse error: expected 1 argument(s) in call to "cos", got 0'],
    [
      'cos(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "cos", got 14',
    ],
    ['cosh()', '1:1: parse error: expected 1 argument(s) in call to "cosh", got 0'],
    [
      'cosh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "cosh", got 14',
    ],
    ['count_over_time()', '1:1: parse error: expected 1 argument(s) in call to "count_over_time", got 0'],
    [
      'count_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "count_over_time", got 14',
    ],
    ['days_in_month()', 'OK'],
    [
      'days_in_month(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "days_in_month", got 14',
    ],
    ['day_of_month()', 'OK'],
    [
      'day_of_month(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "day_of_month", got 14',
    ],
    ['day_of_week()', 'OK'],
    [
      'day_of_week(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "day_of_week", got 14',
    ],
    ['day_of_year()', 'OK'],
    [
      'day_of_year(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "day_of_year", got 14',
    ],
    ['deg()', '1:1: parse error: expected 1 argument(s) in call to "deg", got 0'],
    [
      'deg(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "deg", got 14',
    ],
    ['delta()', '1:1: parse error: expected 1 argument(s) in call to "delta", got 0'],
    [
      'delta(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "delta", got 14',
    ],
    ['deriv()', '1:1: parse error: expected 1 argument(s) in call to "deriv", got 0'],
    [
      'deriv(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "deriv", got 14',
    ],
    [
      'double_exponential_smoothing()',
      '1:1: parse error: expected 3 argument(s) in call to "double_exponential_smoothing", got 0',
    ],
    [
      'double_exponential_smoothing(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 3 argument(s) in call to "double_exponential_smoothing", got 14',
    ],
    ['end()', 'OK'],
    [
      'end(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "end", got 14',
    ],
    ['exp()', '1:1: parse error: expected 1 argument(s) in call to "exp", got 0'],
    [
      'exp(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "exp", got 14',
    ],
    ['first_over_time()', '1:1: parse error: expected 1 argument(s) in call to "first_over_time", got 0'],
    [
      'first_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "first_over_time", got 14',
    ],
    ['floor()', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0'],
    [
      'floor(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "floor", got 14',
    ],
    ['histogram_avg()', '1:1: parse error: expected 1 argument(s) in call to "histogram_avg", got 0'],
    [
      'histogram_avg(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "histogram_avg", got 14',
    ],
    ['histogram_count()', '1:1: parse error: expected 1 argument(s) in call to "histogram_count", got 0'],
    [
      'histogram_count(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "histogram_count", got 14',
    ],
    ['histogram_fraction()', '1:1: parse error: expected 3 argument(s) in call to "histogram_fraction", got 0'],
    [
      'histogram_fraction(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 3 argument(s) in call to "histogram_fraction", got 14',
    ],
    ['histogram_quantile()', '1:1: parse error: expected 2 argument(s) in call to "histogram_quantile", got 0'],
    [
      'histogram_quantile(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "histogram_quantile", got 14',
    ],
    [
      'histogram_quantiles()',
      '1:1: parse error: expected at least 3 argument(s) in call to "histogram_quantiles", got 0',
    ],
    [
      'histogram_quantiles(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 12 argument(s) in call to "histogram_quantiles", got 14',
    ],
    ['histogram_stddev()', '1:1: parse error: expected 1 argument(s) in call to "histogram_stddev", got 0'],
    [
      'histogram_stddev(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "histogram_stddev", got 14',
    ],
    ['histogram_stdvar()', '1:1: parse error: expected 1 argument(s) in call to "histogram_stdvar", got 0'],
    [
      'histogram_stdvar(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "histogram_stdvar", got 14',
    ],
    ['histogram_sum()', '1:1: parse error: expected 1 argument(s) in call to "histogram_sum", got 0'],
    [
      'histogram_sum(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "histogram_sum", got 14',
    ],
    ['hour()', 'OK'],
    [
      'hour(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 14',
    ],
    ['idelta()', '1:1: parse error: expected 1 argument(s) in call to "idelta", got 0'],
    [
      'idelta(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "idelta", got 14',
    ],
    ['increase()', '1:1: parse error: expected 1 argument(s) in call to "increase", got 0'],
    [
      'increase(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "increase", got 14',
    ],
    ['info()', '1:1: parse error: expected at least 1 argument(s) in call to "info", got 0'],
    [
      'info(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 2 argument(s) in call to "info", got 14',
    ],
    ['integral()', '1:1: parse error: expected at least 1 argument(s) in call to "integral", got 0'],
    [
      'integral(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 2 argument(s) in call to "integral", got 14',
    ],
    ['irate()', '1:1: parse error: expected 1 argument(s) in call to "irate", got 0'],
    [
      'irate(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "irate", got 14',
    ],
    ['label_join()', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 0'],
    [
      'label_join(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:12: parse error: expected type instant vector in call to function "label_join", got scalar',
    ],
    ['label_replace()', '1:1: parse error: expected 5 argument(s) in call to "label_replace", got 0'],
    [
      'label_replace(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 5 argument(s) in call to "label_replace", got 14',
    ],
    ['last_over_time()', '1:1: parse error: expected 1 argument(s) in call to "last_over_time", got 0'],
    [
      'last_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "last_over_time", got 14',
    ],
    ['ln()', '1:1: parse error: expected 1 argument(s) in call to "ln", got 0'],
    [
      'ln(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ln", got 14',
    ],
    ['log10()', '1:1: parse error: expected 1 argument(s) in call to "log10", got 0'],
    [
      'log10(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "log10", got 14',
    ],
    ['log2()', '1:1: parse error: expected 1 argument(s) in call to "log2", got 0'],
    [
      'log2(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "log2", got 14',
    ],
    ['mad_over_time()', '1:1: parse error: expected 1 argument(s) in call to "mad_over_time", got 0'],
    [
      'mad_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "mad_over_time", got 14',
    ],
    ['max_of()', '1:1: parse error: expected 2 argument(s) in call to "max_of", got 0'],
    [
      'max_of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "max_of", got 14',
    ],
    ['max_over_time()', '1:1: parse error: expected 1 argument(s) in call to "max_over_time", got 0'],
    [
      'max_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "max_over_time", got 14',
    ],
    ['min_of()', '1:1: parse error: expected 2 argument(s) in call to "min_of", got 0'],
    [
      'min_of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "min_of", got 14',
    ],
    ['min_over_time()', '1:1: parse error: expected 1 argument(s) in call to "min_over_time", got 0'],
    [
      'min_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "min_over_time", got 14',
    ],
    ['minute()', 'OK'],
    [
      'minute(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "minute", got 14',
    ],
    ['month()', 'OK'],
    [
      'month(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "month", got 14',
    ],
    ['pi()', 'OK'],
    [
      'pi(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "pi", got 14',
    ],
    ['predict_linear()', '1:1: parse error: expected 2 argument(s) in call to "predict_linear", got 0'],
    [
      'predict_linear(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "predict_linear", got 14',
    ],
    ['present_over_time()', '1:1: parse error: expected 1 argument(s) in call to "present_over_time", got 0'],
    [
      'present_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "present_over_time", got 14',
    ],
    ['quantile_over_time()', '1:1: parse error: expected 2 argument(s) in call to "quantile_over_time", got 0'],
    [
      'quantile_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 2 argument(s) in call to "quantile_over_time", got 14',
    ],
    ['rad()', '1:1: parse error: expected 1 argument(s) in call to "rad", got 0'],
    [
      'rad(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "rad", got 14',
    ],
    ['range()', 'OK'],
    [
      'range(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "range", got 14',
    ],
    ['rate()', '1:1: parse error: expected 1 argument(s) in call to "rate", got 0'],
    [
      'rate(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "rate", got 14',
    ],
    ['resets()', '1:1: parse error: expected 1 argument(s) in call to "resets", got 0'],
    [
      'resets(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "resets", got 14',
    ],
    ['round()', '1:1: parse error: expected at least 1 argument(s) in call to "round", got 0'],
    [
      'round(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 2 argument(s) in call to "round", got 14',
    ],
    ['scalar()', '1:1: parse error: expected 1 argument(s) in call to "scalar", got 0'],
    [
      'scalar(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "scalar", got 14',
    ],
    ['sgn()', '1:1: parse error: expected 1 argument(s) in call to "sgn", got 0'],
    [
      'sgn(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sgn", got 14',
    ],
    ['sin()', '1:1: parse error: expected 1 argument(s) in call to "sin", got 0'],
    [
      'sin(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sin", got 14',
    ],
    ['sinh()', '1:1: parse error: expected 1 argument(s) in call to "sinh", got 0'],
    [
      'sinh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sinh", got 14',
    ],
    ['sort()', '1:1: parse error: expected 1 argument(s) in call to "sort", got 0'],
    [
      'sort(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sort", got 14',
    ],
    ['sort_by_label()', '1:1: parse error: expected at least 1 argument(s) in call to "sort_by_label", got 0'],
    [
      'sort_by_label(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:15: parse error: expected type instant vector in call to function "sort_by_label", got scalar',
    ],
    [
      'sort_by_label_desc()',
      '1:1: parse error: expected at least 1 argument(s) in call to "sort_by_label_desc", got 0',
    ],
    [
      'sort_by_label_desc(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:20: parse error: expected type instant vector in call to function "sort_by_label_desc", got scalar',
    ],
    ['sort_desc()', '1:1: parse error: expected 1 argument(s) in call to "sort_desc", got 0'],
    [
      'sort_desc(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sort_desc", got 14',
    ],
    ['sqrt()', '1:1: parse error: expected 1 argument(s) in call to "sqrt", got 0'],
    [
      'sqrt(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sqrt", got 14',
    ],
    ['start()', 'OK'],
    [
      'start(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "start", got 14',
    ],
    ['start_timestamp()', '1:1: parse error: expected 1 argument(s) in call to "start_timestamp", got 0'],
    [
      'start_timestamp(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "start_timestamp", got 14',
    ],
    ['stddev_over_time()', '1:1: parse error: expected 1 argument(s) in call to "stddev_over_time", got 0'],
    [
      'stddev_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "stddev_over_time", got 14',
    ],
    ['stdvar_over_time()', '1:1: parse error: expected 1 argument(s) in call to "stdvar_over_time", got 0'],
    [
      'stdvar_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "stdvar_over_time", got 14',
    ],
    ['step()', 'OK'],
    [
      'step(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "step", got 14',
    ],
    ['sum_over_time()', '1:1: parse error: expected 1 argument(s) in call to "sum_over_time", got 0'],
    [
      'sum_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "sum_over_time", got 14',
    ],
    ['tan()', '1:1: parse error: expected 1 argument(s) in call to "tan", got 0'],
    [
      'tan(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "tan", got 14',
    ],
    ['tanh()', '1:1: parse error: expected 1 argument(s) in call to "tanh", got 0'],
    [
      'tanh(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "tanh", got 14',
    ],
    ['time()', 'OK'],
    [
      'time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 0 argument(s) in call to "time", got 14',
    ],
    ['timestamp()', '1:1: parse error: expected 1 argument(s) in call to "timestamp", got 0'],
    [
      'timestamp(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "timestamp", got 14',
    ],
    ['ts_of_first_over_time()', '1:1: parse error: expected 1 argument(s) in call to "ts_of_first_over_time", got 0'],
    [
      'ts_of_first_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ts_of_first_over_time", got 14',
    ],
    ['ts_of_last_over_time()', '1:1: parse error: expected 1 argument(s) in call to "ts_of_last_over_time", got 0'],
    [
      'ts_of_last_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ts_of_last_over_time", got 14',
    ],
    ['ts_of_max_over_time()', '1:1: parse error: expected 1 argument(s) in call to "ts_of_max_over_time", got 0'],
    [
      'ts_of_max_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ts_of_max_over_time", got 14',
    ],
    ['ts_of_min_over_time()', '1:1: parse error: expected 1 argument(s) in call to "ts_of_min_over_time", got 0'],
    [
      'ts_of_min_over_time(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "ts_of_min_over_time", got 14',
    ],
    ['vector()', '1:1: parse error: expected 1 argument(s) in call to "vector", got 0'],
    [
      'vector(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected 1 argument(s) in call to "vector", got 14',
    ],
    ['year()', 'OK'],
    [
      'year(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
      '1:1: parse error: expected at most 1 argument(s) in call to "year", got 14',
    ],
  ])('%s → %s', (query, want) => {
    if (want === 'OK') {
      expect(printExpr(parseExpr(query))).toBe(query);
      return;
    }
    let message = '';
    try {
      parseExpr(query);
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      message = (e as Error).message;
    }
    expect(message).toBe(want);
  });
});
