import { QueryError } from '../../src/runtime/errors';
import type { DataQuery } from '../../src/runtime/handlers';
import { parsePromQLQuery, planPromQL } from '../../src/datasource/promql-query';
import { DEFAULT_SETTINGS, parseSettings } from '../../src/datasource/settings';

const FROM = 1_700_000_000_000;
const HOUR = 3_600_000;

function query(overrides: Partial<DataQuery> = {}): DataQuery {
  return {
    refId: 'A',
    queryType: 'promql',
    maxDataPoints: 1000,
    intervalMs: 15_000,
    timeRange: { from: FROM + 7_000, to: FROM + HOUR + 7_000 },
    json: new Uint8Array(),
    ...overrides,
  };
}

function badRequest(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).status).toBe(400);
    return (error as QueryError).message;
  }
  throw new Error('no error');
}

describe('promql query model', () => {
  it('takes Grafana’s Prometheus field names', () => {
    expect(
      parsePromQLQuery({
        queryType: 'promql',
        expr: 'up',
        legendFormat: '{{job}}',
        interval: '1m',
        intervalFactor: 2,
        utcOffsetSec: 3600,
      })
    ).toEqual({
      instant: false,
      expr: 'up',
      legendFormat: '{{job}}',
      minStep: { kind: 'duration', ms: 60_000 },
      intervalFactor: 2,
      utcOffsetSec: 3600,
    });
    expect(parsePromQLQuery({ queryType: 'promql-instant', expr: 'up', intervalFactor: 0 })).toMatchObject({
      instant: true,
      legendFormat: '',
      minStep: { kind: 'none' },
      intervalFactor: 1,
      utcOffsetSec: 0,
    });
  });

  it.each([
    [{}, /^expr is required/],
    [{ expr: '  ' }, /^expr is required/],
    [{ expr: 'up', legendFormat: 3 }, /^legendFormat must be text/],
    [{ expr: 'up', interval: 'soon' }, /^interval \(min step\) must be a duration such as 30s/],
    [{ expr: 'up', interval: '$step' }, /got "\$step"/],
    [{ expr: 'up', intervalFactor: 1000 }, /^intervalFactor must be an integer between 0 and 100/],
  ])('answers %j with a 400 naming the field', (model, message) => {
    expect(badRequest(() => parsePromQLQuery({ queryType: 'promql', ...model }))).toMatch(message);
  });
});

describe('promql plan', () => {
  it('aligns the range to the step and replaces the interval variables', () => {
    const promql = parsePromQLQuery({ queryType: 'promql', expr: 'rate(x[$__rate_interval]) * $__interval_ms' });
    const plan = planPromQL(query(), promql, DEFAULT_SETTINGS);
    expect(plan).toEqual({
      expr: 'rate(x[1m]) * 15000',
      startMs: FROM - 5_000,
      endMs: FROM + HOUR - 5_000,
      stepMs: 15_000,
      timeMs: FROM + HOUR + 7_000,
      executedQueryString: 'Expr: rate(x[1m]) * 15000\nStep: 15s',
    });
  });

  it('uses the datasource’s scrape interval (timeInterval)', () => {
    const settings = parseSettings(Buffer.from(JSON.stringify({ timeInterval: '30s' })));
    expect(settings.scrapeIntervalMs).toBe(30_000);
    const promql = parsePromQLQuery({ queryType: 'promql', expr: 'rate(x[$__rate_interval])' });
    const plan = planPromQL(query({ intervalMs: 0 }), promql, settings);
    expect(plan.stepMs).toBe(30_000);
    expect(plan.expr).toBe('rate(x[2m])');
  });

  it('refuses a time range that ends before it starts', () => {
    const promql = parsePromQLQuery({ queryType: 'promql', expr: 'up' });
    expect(badRequest(() => planPromQL(query({ timeRange: { from: 2, to: 1 } }), promql, DEFAULT_SETTINGS))).toMatch(
      /ends before it starts/
    );
  });
});

describe('PromQL datasource settings', () => {
  it('defaults like Prometheus and validates by name', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      lookbackDeltaMs: 300_000,
      queryTimeoutMs: 120_000,
      queryMaxSamples: 50_000_000,
      scrapeIntervalMs: 15_000,
    });
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(() => parseSettings(json({ timeInterval: 'often' }))).toThrow(/timeInterval \(the scrape interval\)/);
    expect(() => parseSettings(json({ queryTimeoutMs: 10 }))).toThrow(/queryTimeoutMs must be an integer between 1000/);
    expect(parseSettings(json({ queryMaxSamples: '5000', timeInterval: '1m' }))).toMatchObject({
      queryMaxSamples: 5000,
      scrapeIntervalMs: 60_000,
    });
  });
});
