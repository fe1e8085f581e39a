/**
 * Range functions against the expectations of Prometheus' promqltest functions.test, with the windows
 * cut from the files' `load` lines by hand (left-open: (t - range, t]).
 */
import { RANGE_FUNCTIONS } from '../../../src/engine/functions/range-functions';
import type { RangeFunction } from '../../../src/engine/functions/types';
import { loadSamples, type Samples } from '../helpers/promqltest';
import { evalRange, M, RecordingSink, S, windowAt, type EvalOptions } from './helpers';

function fn(name: string): RangeFunction {
  const f = RANGE_FUNCTIONS[name];
  if (f === undefined) {
    throw new Error(`no range function ${name}`);
  }
  return f;
}

/** promqltest's comparison: relative 1e-6, NaN equals NaN. */
function expectClose(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  const a = actual as number;
  if (Number.isNaN(expected)) {
    expect(a).toBeNaN();
  } else if (!Number.isFinite(expected) || expected === 0) {
    expect(a).toBe(expected);
  } else {
    expect(Math.abs(a - expected) / Math.abs(expected)).toBeLessThan(1e-6);
  }
}

function at(name: string, samples: Samples, t: number, range: number, options?: EvalOptions) {
  return evalRange(fn(name), samples, t, range, options);
}

describe('resets and changes', () => {
  const foo = loadSamples('1 2 3 0 1 0 0 1 2 0', 5 * M);
  const bar = loadSamples('1 2 3 4 5 1 2 3 4 5', 5 * M);
  const biz = loadSamples('0 0 0 0 0 1 1 1 1 1', 5 * M);

  it('counts decreases in the window', () => {
    expect(at('resets', foo, 50 * M, 5 * M)).toBeUndefined();
    expect(at('resets', foo, 50 * M, 10 * M)).toBe(0);
    expect(at('resets', foo, 50 * M, 20 * M)).toBe(1);
    expect(at('resets', foo, 50 * M, 30 * M)).toBe(1);
    expect([foo, bar, biz].map((s) => at('resets', s, 50 * M, 32 * M))).toEqual([2, 1, 0]);
    expect([foo, bar, biz].map((s) => at('resets', s, 50 * M, 50 * M))).toEqual([3, 1, 0]);
  });

  it('counts value changes, NaN to NaN being no change', () => {
    expect(at('changes', foo, 50 * M, 5 * M)).toBeUndefined();
    expect([foo, bar, biz].map((s) => at('changes', s, 50 * M, 6 * M))).toEqual([0, 0, 0]);
    expect([foo, bar, biz].map((s) => at('changes', s, 50 * M, 20 * M))).toEqual([2, 2, 0]);
    expect([foo, bar, biz].map((s) => at('changes', s, 50 * M, 30 * M))).toEqual([3, 4, 0]);
    expect([foo, bar, biz].map((s) => at('changes', s, 50 * M, 50 * M))).toEqual([7, 8, 1]);
    expect(at('changes', loadSamples('NaN NaN NaN', 5 * M), 15 * M, 20 * M)).toBe(0);
    expect(at('changes', loadSamples('0 NaN 0', 5 * M), 15 * M, 20 * M)).toBe(2);
  });
});

describe('increase, rate and delta', () => {
  const foo = loadSamples('0+10x10', 5 * M);
  const bar = loadSamples('0+18x5 0+18x5', 5 * M);
  const dings = loadSamples('10+10x10', 5 * M);
  const bumms = loadSamples('1+10x10', 5 * M);

  it('extrapolates to the window edges', () => {
    expect([foo, bar, dings, bumms].map((s) => at('increase', s, 50 * M, 50 * M))).toEqual([100, 160, 100, 100]);
  });

  it('stops the start extrapolation at the counter zero point', () => {
    const got = [foo, bar, dings, bumms].map((s) => at('increase', s, 50 * M, 100 * M));
    [100, 162, 105, 101].forEach((expected, i) => expectClose(got[i], expected));
  });

  it('handles counter resets', () => {
    expectClose(at('increase', loadSamples('0 1 2 3 2 3 4', 5 * M), 30 * M, 30 * M), 7);
    expectClose(at('rate', loadSamples('0+27x4 0+27x5', 5 * M), 50 * M, 50 * M), 0.08);
    const resetAtEnd = loadSamples('0+10x9 0 10', 5 * M);
    expect(at('rate', resetAtEnd, 50 * M, 5 * M)).toBeUndefined();
    expect(at('rate', resetAtEnd, 50 * M, 6 * M)).toBe(0);
  });

  it('is per second and honours the offset', () => {
    expectClose(at('rate', loadSamples('0+80x10', 5 * M), 50 * M, 50 * M), 0.26666666666666666);
    expectClose(at('rate', loadSamples('0+10x10', 5 * M), 50 * M, 10 * M, { offset: 5 * M }), 0.03333333333333333);
    expectClose(at('rate', loadSamples('0+20x10', 5 * M), 50 * M, 10 * M, { offset: 5 * M }), 0.06666666666666667);
  });

  it('cuts the left extrapolation at the zero point only within half an interval', () => {
    const starts = [0, 60, 120, 180, 240, 300].map((v) => loadSamples(`${v}+240x10`, 4 * M));
    const early = starts.map((s) => at('rate', s, 10 * M, 20 * M));
    [0.5, 0.55, 0.6, 0.6, 0.6, 0.6].forEach((expected, i) => expectClose(early[i], expected));
    starts.forEach((s) => expectClose(at('rate', s, 50 * M, 20 * M), 0.6));
  });

  it('does not treat delta as a counter', () => {
    expect(at('delta', loadSamples('0 50 100 150 200', 5 * M), 20 * M, 20 * M)).toBe(200);
    expect(at('delta', loadSamples('200 150 100 50 0', 5 * M), 20 * M, 20 * M)).toBe(-200);
  });

  it('needs two samples', () => {
    expect(at('rate', foo, 50 * M, 5 * M)).toBeUndefined();
    expect(at('delta', foo, 50 * M, 5 * M)).toBeUndefined();
  });

  it('reports a possible non-counter for rate and increase only', () => {
    const sink = new RecordingSink();
    at('rate', foo, 50 * M, 50 * M, { metricName: 'http_requests', sink });
    at('increase', foo, 50 * M, 50 * M, { metricName: 'requests_total', sink });
    at('delta', foo, 50 * M, 50 * M, { metricName: 'gauge', sink });
    at('rate', foo, 50 * M, 5 * M, { metricName: 'no_output', sink });
    expect(sink.infos).toEqual([
      'metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "http_requests"',
    ]);
  });

  it('quotes the metric name escaping only ASCII controls (unlike strconv.Quote)', () => {
    const sink = new RecordingSink();
    // A no-break space, a zero-width space and a byte that is not UTF-8 (U+DCC5) stay as they are.
    at('rate', foo, 50 * M, 50 * M, { metricName: 'a\tb\x01\u00a0\u200b\udcc5"', sink });
    expect(sink.infos).toEqual([
      'metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "a\\tb\\x01\u00a0\u200b\udcc5\\""',
    ]);
  });
});

describe('irate and idelta', () => {
  it('use the last two samples', () => {
    expectClose(at('irate', loadSamples('0+10x10', 5 * M), 50 * M, 50 * M), 0.03333333333333333);
    // A counter reset: the increase is the new value.
    expect(at('irate', loadSamples('0+10x5 0+10x5', 5 * M), 30 * M, 50 * M)).toBe(0);
    expect(at('idelta', loadSamples('0 50 100 150', 5 * M), 20 * M, 20 * M)).toBe(50);
    expect(at('idelta', loadSamples('0 50 100 50', 5 * M), 20 * M, 20 * M)).toBe(-50);
  });

  it('propagate NaN', () => {
    const nan = loadSamples('1 NaN NaN 5 11', 5 * M);
    const irate = [0, 5, 10, 15, 20].map((m) => at('irate', nan, m * M, 15 * M + S));
    expect(irate[0]).toBeUndefined();
    expect(irate.slice(1, 4)).toEqual([NaN, NaN, NaN]);
    expectClose(irate[4], 0.02);
    const idelta = [0, 5, 10, 15, 20].map((m) => at('idelta', nan, m * M, 15 * M + S));
    expect(idelta).toEqual([undefined, NaN, NaN, NaN, 6]);
  });
});

describe('deriv and predict_linear', () => {
  const resetMiddle = loadSamples('0+10x4 0+10x5', 5 * M);

  it('computes the regression slope', () => {
    expectClose(at('deriv', loadSamples('0+80x10', 5 * M), 50 * M, 50 * M), 0.26666666666666666);
    expectClose(at('deriv', resetMiddle, 50 * M, 100 * M), 0.010606060606060607);
    expect(at('deriv', loadSamples('-Inf 0+80x10 Inf', 5 * M), 100 * M, 100 * M)).toBeNaN();
    expect(at('deriv', loadSamples('5', 5 * M), 0, 5 * M)).toBeUndefined();
  });

  it('predicts from the step time, also under @', () => {
    expectClose(at('predict_linear', resetMiddle, 50 * M, 50 * M, { args: [3600] }), 70);
    // predict_linear(x[55m] @ 3000, 3600) at 50m, 10m and 70m: the window is pinned, the step time is not.
    const pinned = windowAt(resetMiddle, 3000 * S, 55 * M);
    const predict = (t: number) =>
      fn('predict_linear').compute({
        window: pinned,
        t,
        args: [3600],
        metricName: '',
        annotations: new RecordingSink(),
      });
    expectClose(predict(50 * M), 76.81818181818181);
    expectClose(predict(10 * M), 51.36363636363637);
    expectClose(predict(70 * M), 89.54545454545455);
    expect(at('predict_linear', loadSamples('-Inf 0+80x10 Inf', 5 * M), 100 * M, 100 * M, { args: [6000] })).toBeNaN();
  });

  it('makes a constant series flat', () => {
    expect(at('deriv', loadSamples('3 3 3', 5 * M), 10 * M, 15 * M)).toBe(0);
    expect(at('predict_linear', loadSamples('3 3 3', 5 * M), 10 * M, 15 * M, { args: [100] })).toBe(3);
  });
});

describe('double_exponential_smoothing', () => {
  it('follows a linear trend exactly', () => {
    const cases: [string, number][] = [
      ['0+10x1000 100+30x1000', 8000],
      ['0+20x1000 200+30x1000', 16000],
      ['0+30x1000 300+80x1000', 24000],
      ['0+40x2000', 32000],
      ['8000-10x1000', 0],
      ['0-20x1000', -16000],
      ['0-40x1000 0+40x1000', -32000],
    ];
    for (const [points, expected] of cases) {
      expectClose(
        at('double_exponential_smoothing', loadSamples(points, 10 * S), 8000 * S, M, { args: [0.01, 0.1] }),
        expected
      );
    }
  });

  it('rejects factors outside (0, 1) for windows with samples', () => {
    const s = loadSamples('1 2 3', 10 * S);
    expect(() => at('double_exponential_smoothing', s, 20 * S, M, { args: [1, 0.1] })).toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000'
    );
    expect(() => at('double_exponential_smoothing', s, 20 * S, M, { args: [0.5, 0] })).toThrow(
      'invalid trend factor. Expected: 0 < tf < 1, got: 0.000000'
    );
    expect(at('double_exponential_smoothing', s, 10 * M, M, { args: [1, 1] })).toBeUndefined();
  });

  it('prints factors from 1e21 on in exponent form (unlike Go, whose %f writes all digits)', () => {
    const s = loadSamples('1 2 3', 10 * S);
    expect(() => at('double_exponential_smoothing', s, 20 * S, M, { args: [1e21, 0.1] })).toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1e+21'
    );
    expect(() => at('double_exponential_smoothing', s, 20 * S, M, { args: [0.5, -2.5e22] })).toThrow(
      'invalid trend factor. Expected: 0 < tf < 1, got: -2.5e+22'
    );
  });
});

describe('avg_over_time and sum_over_time', () => {
  const metric = loadSamples('1 2 3 4 5', 10 * S);
  const avg = (points: string, t = 55 * S, range = M) => at('avg_over_time', loadSamples(points, 10 * S), t, range);

  it('averages the window', () => {
    expect(at('avg_over_time', metric, 55 * S, 10 * S)).toBeUndefined();
    expect(at('avg_over_time', metric, 55 * S, 20 * S)).toBe(5);
    expect(at('avg_over_time', metric, 55 * S, M)).toBe(3);
  });

  it('handles infinities like Prometheus', () => {
    expect(avg('1 2 3 4 Inf')).toBe(Infinity);
    expect(avg('1 2 3 4 -Inf')).toBe(-Infinity);
    expect(avg('1 2 3 Inf -Inf')).toBeNaN();
    expect(avg('Inf 0 Inf')).toBe(Infinity);
    expect(avg('Inf Inf Inf -Inf')).toBeNaN();
    expect(avg('1 2 3 -Inf -Inf')).toBe(-Infinity);
    expect(avg('-Inf 0 -Inf')).toBe(-Infinity);
    expect(avg('-Inf -Inf -Inf Inf')).toBeNaN();
    expect(avg('1 2 -Inf -Inf Inf')).toBeNaN();
  });

  it('does not overflow where the incremental mean would not', () => {
    expect(avg('9.988465674311579e+307 9.988465674311579e+307')).toBe(9.988465674311579e307);
    expect(avg('-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307')).toBe(-9.988465674311579e307);
    expect(avg('-9.988465674311579e+307 9.988465674311579e+307')).toBe(0);
    expect(at('sum_over_time', loadSamples('9.988465674311579e+307 9.988465674311579e+307', 10 * S), 55 * S, M)).toBe(
      Infinity
    );
  });

  it('propagates NaN', () => {
    expect(avg('1 2 3 NaN NaN', 20 * S)).toBe(2);
    expect(avg('1 2 3 NaN NaN', 30 * S)).toBeNaN();
    expect(avg('1 2 3 NaN NaN')).toBeNaN();
  });

  it('keeps small values next to huge ones (Kahan summation)', () => {
    const big = loadSamples('1 1e100 1 -1e100', 10 * S);
    expect(at('sum_over_time', big, M, 2 * M)).toBe(2);
    expect(at('avg_over_time', big, M, 2 * M)).toBe(0.5);
  });

  it('matches the extreme-value expectations', () => {
    const cases: [string, number][] = [
      ['1e10 1e-6 1e-6 1e-6 1e-6 1e-6', 1.6666666666666675e9],
      [
        '5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154',
        1.67186744582113,
      ],
      ['1.78264e50 0.76342771 1.9592258 7.69805412 458.90154', 3.56528e49],
      ['0.76342771 1.9592258 7.69805412 1.78264e50 458.90154', 3.56528e49],
      ['1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154', 3.76333333333333e219],
      ['-1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154', 3.76333333333333e219],
      ['-1.78264E+50 0.76342771 1.9592258 -2.258E+220 7.69805412 -458.90154', -3.76333333333333e219],
      ['-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154', 3.76330362266667e219],
      ['-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154', 3.225714285714286e219],
      [
        '-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        2.5088888888888888e219,
      ],
      [
        '-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        0,
      ],
    ];
    for (const [points, expected] of cases) {
      expectClose(at('avg_over_time', loadSamples(points, 5 * S), 55 * S, M), expected);
    }
  });

  it('averages a constant exactly', () => {
    const foo = loadSamples('52+0x100', 10 * S);
    for (const range of [100, 110, 120, 130]) {
      expect(at('avg_over_time', foo, 10 * M, range * S)).toBe(52);
    }
  });

  it('sums dense samples', () => {
    const dense = loadSamples('1+0x4000', 1);
    for (const range of [1000, 1001, 1002, 1003, 2000, 2001, 3003]) {
      expect(at('sum_over_time', dense, 4 * S, range)).toBe(range);
    }
  });
});

describe('integral', () => {
  const metric = loadSamples('1 2 3 4 5', 10 * S);

  it('integrates by the chosen rule', () => {
    expect(at('integral', metric, 55 * S, M)).toBe(120);
    expect(at('integral', metric, 55 * S, M, { args: [2] })).toBe(120);
    expect(at('integral', metric, 55 * S, M, { args: [0] })).toBe(100);
    expect(at('integral', metric, 55 * S, M, { args: [1] })).toBe(140);
    expect(at('integral', loadSamples('Inf 0 Inf', 10 * S), 55 * S, M)).toBe(Infinity);
  });

  it('does not overflow when averaging large finite samples', () => {
    expect(at('integral', loadSamples('1e308 1e308', S), S, 2 * S)).toBe(1e308);
    expect(at('integral', loadSamples('-1e308 -1e308', S), S, 2 * S)).toBe(-1e308);
  });

  it('compensates big values and warns about a bad strategy', () => {
    const bignum = loadSamples('0 1 1e100 1 -1e100 1 0', 10 * S);
    expect(
      [undefined, 0, 1].map((s) => at('integral', bignum, M, 2 * M, { args: s === undefined ? [] : [s] }))
    ).toEqual([30, 30, 30]);
    const sink = new RecordingSink();
    expect(at('integral', bignum, M, 2 * M, { args: [3], sink })).toBe(30);
    expect(sink.warnings).toEqual(['strategy should be 0, 1, or 2 (default), using 2, got 3']);
    expect(at('integral', loadSamples('1 Inf 1 -Inf 1', 10 * S), M, 2 * M)).toBeNaN();
  });

  it('treats NaN as zero', () => {
    const nan1 = loadSamples('NaN NaN 1 NaN NaN NaN', 10 * S);
    expect([10, 20, 30].map((s) => at('integral', nan1, s * S, s * S))).toEqual([0, 5, 10]);
    expect([10, 20, 30].map((s) => at('integral', nan1, s * S, s * S, { args: [0] }))).toEqual([0, 0, 10]);
    expect([10, 20, 30].map((s) => at('integral', nan1, s * S, s * S, { args: [1] }))).toEqual([0, 10, 10]);
    const nan2 = loadSamples('NaN NaN 1 NaN NaN 2 NaN NaN NaN NaN NaN NaN NaN', 10 * S);
    expect(at('integral', nan2, 50 * S, 50 * S)).toBe(20);
    expect(at('integral', nan2, 60 * S, 60 * S)).toBe(30);
    expect(at('integral', nan2, 50 * S, 50 * S, { args: [0] })).toBe(10);
    expect(at('integral', nan2, 50 * S, 50 * S, { args: [1] })).toBe(30);
    expect(at('integral', nan2, 2 * M, 2 * M)).toBe(30);
  });

  it('cancels out for an oscillator', () => {
    const osc = loadSamples('0 1 2 1 0 -1 -2 -1 0', 10 * S);
    for (const args of [[], [0], [1]]) {
      expect(at('integral', osc, 2 * M, 2 * M + S, { args })).toBe(0);
    }
  });
});

describe('stddev, stdvar and mad_over_time', () => {
  it('computes the population variance', () => {
    const metric = loadSamples('0 8 8 2 3', 10 * S);
    expectClose(at('stdvar_over_time', metric, M, 2 * M), 10.56);
    expectClose(at('stddev_over_time', metric, M, 2 * M), 3.249615);
    const constant = loadSamples('1.5990505637277868 1.5990505637277868 1.5990505637277868', 10 * S);
    expect(at('stdvar_over_time', constant, 55 * S, M)).toBe(0);
    expect(at('stddev_over_time', constant, 55 * S, M)).toBe(0);
  });

  it('computes the median absolute deviation', () => {
    expect(at('mad_over_time', loadSamples('4 6 2 1 999 1 2', 10 * S), 70 * S, 70 * S)).toBe(1);
    expect(at('mad_over_time', loadSamples('1 2 3 4 5', 10 * S), 40 * S, 50 * S)).toBe(1);
    expect(at('mad_over_time', loadSamples('7 7 7 7 7', 10 * S), 40 * S, 50 * S)).toBe(0);
    expect(at('mad_over_time', loadSamples('5', 10 * S), 0, 10 * S)).toBe(0);
    expect(at('mad_over_time', loadSamples('1 2 NaN 4', 10 * S), 30 * S, 40 * S)).toBeNaN();
  });
});

describe('timestamps of extremes, first and last', () => {
  const odd = 10 * S + 53;

  it('returns the times in seconds', () => {
    const metric = loadSamples('1 2 3 0 5 6 2 1 4', odd);
    expect(at('ts_of_min_over_time', metric, 90 * S, 90 * S)).toBe(30.159);
    expect(at('ts_of_max_over_time', metric, 90 * S, 90 * S)).toBe(50.265);
    const last = loadSamples('1 2 3 _ _', odd);
    expect(at('ts_of_last_over_time', last, 90 * S, 90 * S)).toBe(20.106);
    expect(at('ts_of_last_over_time', last, 95 * S, 90 * S)).toBe(20.106);
    const first = loadSamples('_ _ 1 2 3 _ _', odd);
    expect(at('ts_of_first_over_time', first, 90 * S, 90 * S)).toBe(20.106);
    expect(at('ts_of_first_over_time', first, 15 * S, 90 * S)).toBeUndefined();
  });

  it('picks the latest of equal extremes', () => {
    const ties = loadSamples('5 1 5 1', 10 * S);
    expect(at('ts_of_max_over_time', ties, 30 * S, M)).toBe(20);
    expect(at('ts_of_min_over_time', ties, 30 * S, M)).toBe(30);
  });
});

describe('min, max, first, last, count and present over time', () => {
  const data = ['2 0 3', '2 0 NaN', '2 NaN 1', 'NaN 0 1', 'NaN NaN NaN'].map((p) => loadSamples(p, 10 * S));
  const sparse = loadSamples('_ 5 2 _ 4 _', 10 * S);
  const all = (name: string) => [...data, sparse].map((s) => at(name, s, M, 2 * M));

  it('skips NaN unless all values are NaN', () => {
    expect(all('min_over_time')).toEqual([0, 0, 1, 0, NaN, 2]);
    expect(all('max_over_time')).toEqual([3, 2, 2, 1, NaN, 5]);
  });

  it('takes first and last values as they are', () => {
    expect(all('last_over_time')).toEqual([3, NaN, 1, 1, NaN, 4]);
    expect(all('first_over_time')).toEqual([2, 2, 2, NaN, NaN, 5]);
    expect(all('count_over_time')).toEqual([3, 3, 3, 3, 3, 3]);
    expect(all('present_over_time')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(at('present_over_time', sparse, 10 * M, M)).toBeUndefined();
  });

  it('keeps the metric name only for first and last', () => {
    const keeping = Object.entries(RANGE_FUNCTIONS)
      .filter(([, f]) => !f.dropsName)
      .map(([name]) => name)
      .sort();
    expect(keeping).toEqual(['first_over_time', 'last_over_time']);
  });
});

describe('quantile_over_time', () => {
  const data = ['0 1', '0 1 2', '0 1 4'].map((p) => loadSamples(p, 10 * S));
  const q = (phi: number, sink?: RecordingSink) =>
    data.map((s) => at('quantile_over_time', s, M, 2 * M, { args: [phi], sink }));

  it('interpolates between ranks', () => {
    expect(q(0)).toEqual([0, 0, 0]);
    expect(q(0.5)).toEqual([0.5, 1, 1]);
    expect(q(0.75)).toEqual([0.75, 1.5, 2.5]);
    q(0.8).forEach((v, i) => expectClose(v, [0.8, 1.6, 2.8][i]));
    expect(q(1)).toEqual([1, 2, 4]);
    expect(fn('quantile_over_time').rangeArg).toBe(1);
  });

  it('warns about φ out of range', () => {
    const sink = new RecordingSink();
    expect(q(-1, sink)).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(q(2, sink)).toEqual([Infinity, Infinity, Infinity]);
    expect(q(NaN, sink)).toEqual([NaN, NaN, NaN]);
    expect(new Set(sink.warnings)).toEqual(
      new Set([
        'quantile value should be between 0 and 1, got -1',
        'quantile value should be between 0 and 1, got 2',
        'quantile value should be between 0 and 1, got NaN',
      ])
    );
  });

  it('keeps exact-ranked infinities', () => {
    const cases: [string, number][] = [
      ['1 2 Inf', 2],
      ['-Inf 2 3', 2],
      ['1 Inf', Infinity],
      ['-Inf', -Infinity],
      ['-Inf Inf', NaN],
    ];
    for (const [points, expected] of cases) {
      expect(at('quantile_over_time', loadSamples(points, 10 * S), M, 2 * M, { args: [0.5] })).toBe(expected);
    }
    expect(at('quantile_over_time', loadSamples('1 Inf', 10 * S), M, 2 * M, { args: [1] })).toBe(Infinity);
    expect(at('quantile_over_time', loadSamples('-Inf', 10 * S), M, 2 * M, { args: [0] })).toBe(-Infinity);
  });

  it('sorts stably, so the input order decides which of 0 and -0 lands on a rank', () => {
    // The aggregation quantile sorts these with Go's sort.Sort, as Prometheus does, and gets 0.
    const samples = loadSamples('0 1 -1 -1 1 0 1 -0 0 -1 0 -1 0', 10 * S);
    expect(at('quantile_over_time', samples, 2 * M, 3 * M, { args: [0.5] })).toBe(-0);
  });
});
