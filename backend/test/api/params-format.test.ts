/**
 * Prometheus' parameter parsing and JSON formatting, value by value. The expected strings are what
 * Prometheus (web/api/v1, util/jsonutil, Go's strconv) produces for the same input.
 */
import { formatFloat, type QueryResult } from '../../src/engine';
import {
  goDurationString,
  nsToMs,
  ParamError,
  parseDurationNs,
  parseInstantParams,
  parseLimit,
  parseRangeParams,
  parseTimeNs,
} from '../../src/api/params';
import { errorJson, formatSampleValue, jsoniterString, jsonString, limitAnnotations } from '../../src/api/format';
import { ByteChunks, resultJson, successBody } from '../../src/api/json-body';
import { STALE_NAN } from '../../src/storage';

const form =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

function paramError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParamError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('times', () => {
  it.each([
    ['0', 0],
    ['1435781451.781', 1435781451781],
    ['1435781451', 1435781451000],
    ['-1.5', -1500],
    ['.5', 500],
    ['5.', 5000],
    ['1e3', 1_000_000],
    ['0.0005', 1], // rounded to milliseconds, half away from zero
    ['-0.0005', -1],
    ['0.0004', 0],
    ['2015-07-01T20:10:51.781Z', 1435781451781],
    ['2015-07-01T20:10:51Z', 1435781451000],
    ['2015-07-01T22:10:51.7819999+02:00', 1435781451781], // nanoseconds, then floor to ms
    ['1969-12-31T23:59:59.9995Z', -1],
    ['2024-02-29T00:00:00Z', 1709164800000],
  ])('%s → %d ms', (text, ms) => {
    expect(nsToMs(parseTimeNs(text))).toBe(ms);
  });

  it.each([
    '',
    'x',
    'now',
    '2015-07-01',
    '2015-02-29T00:00:00Z',
    '2015-07-01T24:00:00Z',
    'NaN',
    'Inf',
    '1e400',
    '0x10',
  ])('rejects %j with Prometheus text', (text) => {
    expect(paramError(() => parseTimeNs(text))).toBe(`cannot parse ${JSON.stringify(text)} to a valid timestamp`);
  });
});

describe('durations', () => {
  it.each([
    ['15s', 15e9],
    ['1h30m', 5400e9],
    ['1d', 86400e9],
    ['1w', 604800e9],
    ['1y', 365 * 86400e9],
    ['100ms', 100e6],
    ['0', 0],
    ['1.5', 1.5e9],
    ['0.001', 1e6],
    ['-3', -3e9],
  ])('%s → %d ns', (text, ns) => {
    expect(parseDurationNs(text)).toBe(BigInt(ns));
  });

  it.each(['', '1x', '1m1h', '1s1s', 's', '-1s', '1.5s'])('rejects %j', (text) => {
    expect(paramError(() => parseDurationNs(text))).toBe(`cannot parse ${JSON.stringify(text)} to a valid duration`);
  });

  it('rejects float seconds that overflow int64 nanoseconds', () => {
    expect(paramError(() => parseDurationNs('1e10'))).toBe(
      'cannot parse "1e10" to a valid duration. It overflows int64'
    );
    expect(paramError(() => parseDurationNs('NaN'))).toBe('cannot parse "NaN" to a valid duration. It overflows int64');
  });

  it.each([
    [0n, '0s'],
    [-1_000_000_000n, '-1s'],
    [1_500_000n, '1.5ms'],
    [999n, '999ns'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [3_600_000_000_000n, '1h0m0s'],
  ])('Go prints %d ns as %s', (ns, text) => {
    expect(goDurationString(ns)).toBe(text);
  });
});

describe('limit', () => {
  it('parses like strconv.Atoi and refuses negatives', () => {
    expect(parseLimit('')).toBe(0);
    expect(parseLimit('+5')).toBe(5);
    expect(paramError(() => parseLimit('x'))).toBe('strconv.Atoi: parsing "x": invalid syntax');
    expect(paramError(() => parseLimit('99999999999999999999'))).toBe(
      'strconv.Atoi: parsing "99999999999999999999": value out of range'
    );
    expect(paramError(() => parseLimit('-1'))).toBe('limit must be non-negative');
  });
});

describe('query parameters', () => {
  it('instant: defaults and errors in Prometheus order', () => {
    expect(parseInstantParams(form({ query: 'up' }), 1234)).toEqual({ query: 'up', timeMs: 1234, limit: 0 });
    expect(
      parseInstantParams(form({ query: 'up', time: '10', timeout: '5s', lookback_delta: '1m', limit: '3' }), 0)
    ).toEqual({ query: 'up', timeMs: 10_000, timeoutMs: 5000, lookbackDeltaMs: 60_000, limit: 3 });
    expect(paramError(() => parseInstantParams(form({ time: 'x' }), 0))).toBe(
      `invalid parameter "time": invalid time value for 'time': cannot parse "x" to a valid timestamp`
    );
    expect(paramError(() => parseInstantParams(form({ time: 'x', limit: 'y' }), 0))).toMatch(
      /^invalid parameter "limit"/
    );
    expect(paramError(() => parseInstantParams(form({ timeout: '0' }), 0))).toBe(
      'invalid parameter "timeout": timeout must be positive, got 0s'
    );
    expect(paramError(() => parseInstantParams(form({ timeout: '-2.5' }), 0))).toBe(
      'invalid parameter "timeout": timeout must be positive, got -2.5s'
    );
    expect(paramError(() => parseInstantParams(form({ lookback_delta: 'x' }), 0))).toBe(
      'error parsing lookback delta duration: cannot parse "x" to a valid duration'
    );
  });

  it('range: every check and its text', () => {
    expect(parseRangeParams(form({ query: 'up', start: '0', end: '60', step: '15s' }))).toEqual({
      query: 'up',
      startMs: 0,
      endMs: 60_000,
      stepMs: 15_000,
      limit: 0,
    });
    expect(paramError(() => parseRangeParams(form({ end: '1', step: '1' })))).toBe(
      'invalid parameter "start": cannot parse "" to a valid timestamp'
    );
    expect(paramError(() => parseRangeParams(form({ start: '1', end: 'y', step: '1' })))).toBe(
      'invalid parameter "end": cannot parse "y" to a valid timestamp'
    );
    expect(paramError(() => parseRangeParams(form({ start: '10', end: '1', step: '1' })))).toBe(
      'invalid parameter "end": end timestamp must not be before start time'
    );
    expect(paramError(() => parseRangeParams(form({ start: '0', end: '1', step: 'z' })))).toBe(
      'invalid parameter "step": cannot parse "z" to a valid duration'
    );
    for (const step of ['0', '-1', '0.0001']) {
      expect(paramError(() => parseRangeParams(form({ start: '0', end: '1', step })))).toBe(
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'
      );
    }
    // 11,000 points are allowed (end - start) / step ≤ 11000, one more is not.
    expect(parseRangeParams(form({ start: '0', end: '11000', step: '1' })).endMs).toBe(11_000_000);
    expect(paramError(() => parseRangeParams(form({ start: '0', end: '11001', step: '1' })))).toBe(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'
    );
  });
});

describe('JSON formatting', () => {
  it.each([
    [0, '0', '0'],
    [-0, '-0', '-0'],
    [1, '1', '1'],
    [-2.5, '-2.5', '-2.5'],
    [0.1 + 0.2, '0.30000000000000004', '0.30000000000000004'],
    [1e-6, '0.000001', '0.000001'],
    [1e-7, '1e-07', '0.0000001'],
    [1.5e-10, '1.5e-10', '0.00000000015'],
    [123456789012345680000, '123456789012345680000', '123456789012345680000'],
    [1e21, '1e+21', '1000000000000000000000'],
    [-1.7976931348623157e308, '-1.7976931348623157e+308', '-17976931348623157' + '0'.repeat(292)],
    [NaN, 'NaN', 'NaN'],
    [STALE_NAN, 'NaN', 'NaN'],
    [Infinity, '+Inf', '+Inf'],
    [-Infinity, '-Inf', '-Inf'],
  ])('%d as a sample "%s" and as a scalar "%s"', (v, sample, scalar) => {
    expect(formatSampleValue(v)).toBe(sample);
    expect(formatFloat(v)).toBe(scalar);
  });

  it('prints plain-decimal sample values exactly as the digit-by-digit Go formatter does', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const v = (next() < 0.5 ? -1 : 1) * next() * 10 ** Math.floor(next() * 27 - 6);
      if (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e21) {
        expect(formatSampleValue(v)).toBe(formatFloat(v));
      }
    }
  });

  it.each([
    [0, '0'],
    [1500, '1.500'],
    [1435781451781, '1435781451.781'],
    [1001, '1.001'],
    [10, '0.010'],
    [-1, '-0.001'],
    [-1500, '-1.500'],
    [60_000, '60'],
  ])('timestamp %d ms → %s', (ms, text) => {
    const out = new ByteChunks(8);
    out.timestamp(ms);
    expect(Buffer.concat(out.finish()).toString()).toBe(text);
  });

  it('writes matrix points exactly as the value-by-value formatter does', () => {
    const specials = [
      0,
      -0,
      1,
      -1,
      7,
      1e15 - 1,
      1e15,
      -1e15,
      2 ** 53,
      0.1,
      -2.5,
      1e-7,
      1e21,
      123456789.125,
      NaN,
      Infinity,
    ];
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const series = Array.from({ length: 5 }, (_, k) => {
      const timestamps = Array.from({ length: 300 }, (_, i) =>
        k === 3 && i === 7 ? -1500 : i * 15_000 + (k === 2 ? i % 1000 : 0)
      );
      const values = timestamps.map((_, i) =>
        i < specials.length
          ? specials[(i + k) % specials.length]
          : rand() < 0.5
            ? Math.floor(rand() * 1e6) - 5e5
            : (rand() - 0.5) * 10 ** (rand() * 40 - 20)
      );
      return { labels: [{ name: 'k', value: String(k) }], timestamps, values };
    });
    const expected =
      '[' +
      series
        .map(
          (s) =>
            `{"metric":{"k":"${s.labels[0].value}"},"values":[` +
            s.timestamps
              .map((t, i) => {
                const sec = Math.trunc(Math.abs(t) / 1000);
                const frac = Math.abs(t) % 1000;
                const ts = `${t < 0 ? '-' : ''}${sec}${frac === 0 ? '' : '.' + String(frac).padStart(3, '0')}`;
                return `[${ts},"${formatSampleValue(s.values[i])}"]`;
              })
              .join(',') +
            ']}'
        )
        .join(',') +
      ']';
    expect(resultJson({ resultType: 'matrix', series, warnings: [], infos: [] }).json).toBe(expected);
    expect(formatSampleValue(-0)).toBe('-0');
  });

  it('escapes strings as Go does', () => {
    expect(jsonString('a<b>&c\u2028"\\')).toBe('"a\\u003cb\\u003e\\u0026c\\u2028\\"\\\\"');
    expect(jsonString('\b\f\n')).toBe('"\\b\\f\\n"');
    expect(jsoniterString('\b\f\n\\b')).toBe('"\\u0008\\u000c\\n\\\\b"');
  });

  it('writes results in Prometheus key order, with limit and annotations', () => {
    const labels = [
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'a<b' },
    ];
    const vector = resultJson({
      resultType: 'vector',
      samples: [
        { labels, t: 1500, v: 1 },
        { labels: [], t: 1500, v: NaN },
      ],
      warnings: [],
      infos: [],
    });
    expect(vector).toEqual({
      json: '[{"metric":{"__name__":"up","job":"a\\u003cb"},"value":[1.500,"1"]},{"metric":{},"value":[1.500,"NaN"]}]',
      truncated: false,
    });
    const matrix = resultJson(
      {
        resultType: 'matrix',
        series: [
          { labels, timestamps: [0, 60_000], values: [1, Infinity] },
          { labels: [], timestamps: [], values: [] },
        ],
        warnings: [],
        infos: [],
      },
      1
    );
    expect(matrix).toEqual({
      json: '[{"metric":{"__name__":"up","job":"a\\u003cb"},"values":[[0,"1"],[60,"+Inf"]]}]',
      truncated: true,
    });
    expect(
      resultJson({
        resultType: 'matrix',
        series: [{ labels: [], timestamps: [], values: [] }],
        warnings: [],
        infos: [],
      }).json
    ).toBe('[{"metric":{}}]');
    expect(resultJson({ resultType: 'scalar', t: 1500, v: 1e-7, warnings: [], infos: [] }).json).toBe(
      '[1.5,"0.0000001"]'
    );
    expect(resultJson({ resultType: 'string', t: 0, v: 'a<b', warnings: [], infos: [] }).json).toBe('[0,"a\\u003cb"]');
    const body = (...args: Parameters<typeof successBody>): string =>
      Buffer.concat([...successBody(...args)]).toString();
    const scalar: QueryResult = { resultType: 'scalar', t: 0, v: 1, warnings: [], infos: [] };
    expect(body(scalar, 0, [], [])).toBe('{"status":"success","data":{"resultType":"scalar","result":[0,"1"]}}');
    expect(body(scalar, 0, ['w'], ['i<'])).toBe(
      '{"status":"success","data":{"resultType":"scalar","result":[0,"1"]},"warnings":["w"],"infos":["i\\u003c"]}'
    );
    expect(errorJson('bad_data', 'x "y"')).toBe('{"status":"error","errorType":"bad_data","error":"x \\"y\\""}');
    const many = Array.from({ length: 12 }, (_, i) => `w${i}`);
    expect(limitAnnotations(many, 10, 'warning')).toEqual([...many.slice(0, 10), '2 more warning annotations omitted']);
    expect(limitAnnotations(many, 0, 'warning')).toEqual(many);
  });
});
