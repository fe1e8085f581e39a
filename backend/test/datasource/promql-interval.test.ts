import {
  alignToStep,
  formatDuration,
  interpolateIntervalVariables,
  intervalVariables,
  MinStep,
  parseIntervalMs,
  parseMinStep,
  queryStepMs,
  rateIntervalMs,
  roundInterval,
  StepInputs,
} from '../../src/datasource/promql-interval';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const NONE: MinStep = { kind: 'none' };

function step(inputs: Partial<StepInputs>): number {
  return queryStepMs({
    rangeMs: H,
    intervalMs: 0,
    maxDataPoints: 0,
    minStep: NONE,
    intervalFactor: 1,
    scrapeIntervalMs: 15 * S,
    ...inputs,
  });
}

describe('durations', () => {
  it.each([
    ['15s', 15 * S],
    ['1m30s', 90 * S],
    ['1.5h', 90 * M],
    ['250ms', 250],
    ['30', 30 * S],
    ['>10s', 10 * S],
    ['2d', 2 * D],
    ['1w', 7 * D],
    [' 5m ', 5 * M],
  ])('parses %j', (text, ms) => expect(parseIntervalMs(text)).toBe(ms));

  it.each(['', 'abc', '5 m', '1x', '-5s', 's'])('refuses %j', (text) => expect(parseIntervalMs(text)).toBeUndefined());

  it.each([
    [0, '0s'],
    [250, '250ms'],
    [15 * S, '15s'],
    [90 * S, '1m30s'],
    [H + 500, '1h500ms'],
    [D, '1d'],
    [7 * D, '1w'],
    [90 * D, '90d'],
    [365 * D, '1y'],
  ])('formats %d ms as Prometheus does: %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('round-trips through the engine syntax', () => {
    for (const ms of [1, 999, 15 * S, 61 * S, 3 * H + 7 * S, 8 * D]) {
      expect(parseIntervalMs(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('min step', () => {
  it('knows durations, nothing and the built-in variables', () => {
    expect(parseMinStep(undefined)).toEqual(NONE);
    expect(parseMinStep('')).toEqual(NONE);
    expect(parseMinStep('0s')).toEqual(NONE);
    expect(parseMinStep('1m')).toEqual({ kind: 'duration', ms: M });
    expect(parseMinStep('$__interval')).toEqual({ kind: 'interval' });
    expect(parseMinStep('${__interval_ms}')).toEqual({ kind: 'interval' });
    expect(parseMinStep('$__rate_interval')).toEqual({ kind: 'rate_interval' });
    expect(parseMinStep('$step')).toBeUndefined();
    expect(parseMinStep('fast')).toBeUndefined();
  });
});

describe('queryStepMs, like Grafana’s Prometheus datasource', () => {
  it('rounds Grafana’s intervals the way intervalv2 does', () => {
    expect(roundInterval(16 * S)).toBe(15 * S);
    expect(roundInterval(40 * S)).toBe(30 * S);
    expect(roundInterval(100 * S)).toBe(2 * M);
    expect(roundInterval(3 * D)).toBe(D);
    expect(roundInterval(20 * D)).toBe(7 * D);
  });

  it('uses Grafana’s interval for the request', () => {
    expect(step({ intervalMs: 2 * S, maxDataPoints: 1800 })).toBe(2 * S);
  });

  it('falls back to the scrape interval, and to range ÷ maxDataPoints rounded', () => {
    expect(step({})).toBe(15 * S);
    expect(step({ scrapeIntervalMs: 5 * S })).toBe(5 * S);
    // 24 h over 1000 points = 86.4 s → 1m.
    expect(step({ rangeMs: D, maxDataPoints: 1000, scrapeIntervalMs: S })).toBe(M);
  });

  it('takes the min step as a minimum', () => {
    expect(step({ intervalMs: 2 * S, minStep: { kind: 'duration', ms: M } })).toBe(M);
    // A min step below Grafana's interval does not shrink the step.
    expect(step({ intervalMs: 30 * S, minStep: { kind: 'duration', ms: 5 * S } })).toBe(30 * S);
  });

  it('multiplies by the interval factor', () => {
    expect(step({ intervalMs: 10 * S, intervalFactor: 3 })).toBe(30 * S);
  });

  it('never asks for more than 11,000 points per series', () => {
    // 30 days at a 1 s interval would be 2.6M points: the safe interval (rounded) wins…
    expect(step({ rangeMs: 30 * D, intervalMs: S, maxDataPoints: 1_000_000 })).toBe(5 * M);
    // …and where the rounding goes below range/11000, the exact bound.
    const rangeMs = 11_000 * 16 * S;
    expect(step({ rangeMs, intervalMs: S, maxDataPoints: 1_000_000 })).toBe(16 * S);
  });

  it('makes the rate interval the step when the min step is $__rate_interval', () => {
    expect(step({ intervalMs: 10 * S, minStep: { kind: 'rate_interval' } })).toBe(M);
    expect(step({ intervalMs: 2 * M, minStep: { kind: 'rate_interval' } })).toBe(2 * M + 15 * S);
  });
});

describe('interval variables', () => {
  it('$__rate_interval is max($__interval + scrape, 4 × scrape)', () => {
    expect(rateIntervalMs(15 * S, 15 * S)).toBe(M);
    expect(rateIntervalMs(5 * M, 15 * S)).toBe(5 * M + 15 * S);
  });

  it('gives every built-in variable', () => {
    expect(intervalVariables(30 * S, H + 400, NONE, 15 * S)).toEqual({
      __interval: '30s',
      __interval_ms: '30000',
      __rate_interval: '1m',
      __rate_interval_ms: '60000',
      __range: '3600s',
      __range_s: '3600',
      __range_ms: '3600400',
    });
  });

  it('takes the min step as the scrape interval of $__rate_interval', () => {
    expect(intervalVariables(M, undefined, { kind: 'duration', ms: M }, 15 * S)).toMatchObject({
      __rate_interval: '4m',
    });
    expect(intervalVariables(M, undefined, { kind: 'rate_interval' }, 15 * S).__rate_interval).toBe('1m');
    expect(intervalVariables(M, undefined, NONE, 15 * S)).not.toHaveProperty('__range');
  });

  it('replaces $__name and ${__name}, longest names first, and leaves the rest', () => {
    const variables = intervalVariables(M, H, NONE, 15 * S);
    expect(
      interpolateIntervalVariables(
        'rate(x[$__rate_interval]) / ${__interval_ms} + $__interval + $__range_s + $__rangex + $job + $__unknown',
        variables
      )
    ).toBe('rate(x[1m15s]) / 60000 + 1m + 3600 + $__rangex + $job + $__unknown');
  });
});

describe('alignToStep', () => {
  it('rounds down to the step, in the user’s time zone', () => {
    expect(alignToStep(1_700_000_007_000, 15 * S)).toBe(1_699_999_995_000);
    // 2023-11-14T22:13:20Z: the day started at 00:00 UTC…
    expect(alignToStep(1_700_000_000_000, D)).toBe(1_699_920_000_000);
    // …but at 22:00 UTC for a user at UTC+2.
    expect(alignToStep(1_700_000_000_000, D, 7200)).toBe(1_699_999_200_000);
  });
});
