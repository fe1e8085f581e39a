/** Instant functions against Prometheus' functions.test and trig_functions.test expectations. */
import { INSTANT_FUNCTIONS } from '../../../src/engine/functions/instant-functions';

function apply(name: string, v: number, args: number[] = []): number | undefined {
  const f = INSTANT_FUNCTIONS[name];
  if (f === undefined) {
    throw new Error(`no instant function ${name}`);
  }
  if (f.yieldsAt !== undefined && !f.yieldsAt(args)) {
    return undefined;
  }
  return f.compute(v, args, 0);
}

const DATA = [2.5, 2, -2.5, -2, 0, -0, Infinity, -Infinity, NaN];

describe('rounding functions', () => {
  it('abs, ceil, floor, round', () => {
    expect(DATA.map((v) => apply('abs', v))).toEqual([2.5, 2, 2.5, 2, 0, 0, Infinity, Infinity, NaN]);
    expect(DATA.map((v) => apply('ceil', v))).toEqual([3, 2, -2, -2, 0, -0, Infinity, -Infinity, NaN]);
    expect(DATA.map((v) => apply('floor', v))).toEqual([2, 2, -3, -2, 0, -0, Infinity, -Infinity, NaN]);
    expect(DATA.map((v) => apply('round', v))).toEqual([3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN]);
  });

  it('round to a multiple', () => {
    expect(apply('round', 1.234, [0.1])).toBeCloseTo(1.2, 12);
    expect(apply('round', 25, [10])).toBe(30);
    expect(apply('round', -25, [10])).toBe(-20);
  });

  it('sgn', () => {
    expect([-Infinity, Infinity, NaN, -50, 0, 100].map((v) => apply('sgn', v))).toEqual([-1, 1, NaN, -1, 0, 1]);
  });
});

describe('clamp', () => {
  const values = [-50, 0, 100];
  const run = (name: string, args: number[]) => values.map((v) => apply(name, v, args));

  it('limits values', () => {
    expect(run('clamp_max', [75])).toEqual([-50, 0, 75]);
    expect(run('clamp_min', [-25])).toEqual([-25, 0, 100]);
    expect(run('clamp', [-25, 75])).toEqual([-25, 0, 75]);
    expect(run('clamp', [-Infinity, Infinity])).toEqual([-50, 0, 100]);
    expect(run('clamp_max', [-Infinity])).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(run('clamp_min', [Infinity])).toEqual([Infinity, Infinity, Infinity]);
  });

  it('makes everything NaN with a NaN bound', () => {
    expect(run('clamp', [0, NaN])).toEqual([NaN, NaN, NaN]);
    expect(run('clamp', [NaN, 0])).toEqual([NaN, NaN, NaN]);
    expect(run('clamp_max', [NaN])).toEqual([NaN, NaN, NaN]);
    expect(run('clamp_min', [NaN])).toEqual([NaN, NaN, NaN]);
  });

  it('yields nothing when max < min', () => {
    expect(run('clamp', [5, -5])).toEqual([undefined, undefined, undefined]);
  });
});

describe('exponential and logarithm functions', () => {
  it('match Prometheus', () => {
    expect(apply('exp', 10)).toBeCloseTo(22026.465794806718, 8);
    expect(apply('exp', 0)).toBe(1);
    expect(apply('ln', 10)).toBeCloseTo(2.302585092994046, 14);
    expect(apply('ln', 0)).toBe(-Infinity);
    expect(apply('ln', -10)).toBeNaN();
    expect(apply('sqrt', 20)).toBeCloseTo(4.47213595499958, 14);
    expect(apply('log2', 8)).toBe(3);
    expect(apply('log10', 1000)).toBe(3);
  });
});

describe('trigonometric functions', () => {
  const close = (name: string, v: number, expected: number) => {
    const got = apply(name, v) as number;
    if (Number.isNaN(expected)) {
      expect(got).toBeNaN();
    } else {
      expect(Math.abs(got - expected) / Math.abs(expected || 1)).toBeLessThan(1e-12);
    }
  };

  it('match trig_functions.test', () => {
    close('sin', 10, -0.5440211108893699);
    close('cos', 20, 0.40808206181339196);
    close('tan', 10, 0.6483608274590867);
    close('asin', -0.1, -0.10016742116155944);
    close('asin', 9.9, NaN);
    close('acos', -0.1, 1.670963747956456);
    close('atan', 20, 1.5208379310729538);
    close('sinh', 20, 2.4258259770489514e8);
    close('cosh', 10, 11013.232920103324);
    close('tanh', 10, 0.9999999958776927);
    close('asinh', 10, 2.99822295029797);
    close('acosh', 20, 3.6882538673612966);
    close('atanh', -0.1, -0.10033534773107522);
    close('rad', 10, 0.17453292519943295);
    close('deg', 10, 572.9577951308232);
    close('rad', 1e308, 1.7453292519943295e306);
    close('deg', 1e306, 5.729577951308232e307);
    close('sin', NaN, NaN);
  });
});

describe('date functions', () => {
  const fields = (v: number) =>
    ['year', 'month', 'day_of_month', 'day_of_year', 'day_of_week', 'hour', 'minute', 'days_in_month'].map((n) =>
      apply(n, v)
    );

  it('read the value as Unix seconds in UTC', () => {
    expect(fields(0)).toEqual([1970, 1, 1, 1, 4, 0, 0, 31]);
    expect(fields(1136239445)).toEqual([2006, 1, 2, 2, 1, 22, 4, 31]);
    expect(apply('year', 1230767999)).toBe(2008);
    expect(apply('year', 1230768000)).toBe(2009);
    expect((apply('month', 1456790399) as number) + (apply('day_of_month', 1456790399) as number) / 100).toBe(2.29);
    expect((apply('month', 1456790400) as number) + (apply('day_of_month', 1456790400) as number) / 100).toBe(3.01);
    expect(apply('day_of_year', 1483191420)).toBe(366);
    expect(apply('day_of_year', 1672493820)).toBe(365);
    expect(apply('days_in_month', 1454284800)).toBe(29);
    expect(apply('days_in_month', 1485907200)).toBe(28);
  });

  it('truncate towards zero and handle negative and far times like Go', () => {
    // -1.5 s → -1 s: 1969-12-31 23:59:59
    expect(fields(-1.5)).toEqual([1969, 12, 31, 365, 3, 23, 59, 31]);
    // 400 days before 0001-01-01: year -1, 28 November
    expect(fields(-62135596800 - 86400 * 400).slice(0, 4)).toEqual([-1, 11, 28, 332]);
    // Go's int64 conversion of NaN/Inf (the minimum int64) as time.Unix sees it.
    expect(fields(NaN)).toEqual([292277026596, 12, 4, 339, 0, 15, 30, 31]);
    expect(fields(-9.2e18).slice(0, 4)).toEqual([-291536392293, 5, 3, 123]);
  });
});

describe('name handling and native-histogram-only functions', () => {
  it('all drop the metric name', () => {
    expect(Object.values(INSTANT_FUNCTIONS).every((f) => f.dropsName)).toBe(true);
  });

  it('histogram_* ignore float samples', () => {
    for (const name of ['histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar']) {
      expect(apply(name, 5)).toBeUndefined();
    }
  });
});
