import type { ScopedVars } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';

import { fakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { makeDataSource } from '../testing/fixtures';
import type { PromQLQuery } from '../types';
import { prometheusFormat, prometheusRegexEscape, rangeScopedVars } from './interpolate';

/** What Grafana's query runner puts in scopedVars for a panel, plus the range query() adds. */
function panelVars(intervalMs: number, rangeMs = 3_600_000): ScopedVars {
  return {
    __interval: { text: `${intervalMs / 1000}s`, value: `${intervalMs / 1000}s` },
    __interval_ms: { text: String(intervalMs), value: intervalMs },
    ...rangeScopedVars(1_700_000_000_000, 1_700_000_000_000 + rangeMs),
  };
}

const promql = (expr: string, extra: Partial<PromQLQuery> = {}): PromQLQuery => ({
  refId: 'A',
  queryType: 'promql',
  expr,
  ...extra,
});

beforeEach(() => {
  setTemplateSrv(
    fakeTemplateSrv({
      job: 'api',
      instances: ['host-1:9100', 'host.2:9100'],
      one: ['a.b'],
      quote: "it's",
      minstep: '30s',
      legend: 'cpu',
    })
  );
});

describe('built-in interval variables', () => {
  it('$__rate_interval is max($__interval + scrape interval, 4 × scrape interval)', () => {
    const ds = makeDataSource();
    const interpolate = (intervalMs: number) =>
      (ds.applyTemplateVariables(promql('rate(x[$__rate_interval])'), panelVars(intervalMs)) as PromQLQuery).expr;
    expect(interpolate(15_000)).toBe('rate(x[1m])');
    expect(interpolate(60_000)).toBe('rate(x[1m15s])');
    expect(interpolate(300_000)).toBe('rate(x[5m15s])');
  });

  it('takes the scrape interval from the datasource’s timeInterval', () => {
    const ds = makeDataSource({ timeInterval: '1m' });
    const query = ds.applyTemplateVariables(promql('rate(x[$__rate_interval])'), panelVars(15_000)) as PromQLQuery;
    // The step is at least the scrape interval: 1m, and the rate interval max(1m + 1m, 4m).
    expect(query.expr).toBe('rate(x[4m])');
  });

  it('uses the step the backend will run at: a min step raises $__interval', () => {
    const ds = makeDataSource();
    const query = ds.applyTemplateVariables(
      promql('avg_over_time(x[$__interval]) / $__interval_ms', { interval: '$minstep' }),
      panelVars(10_000)
    ) as PromQLQuery;
    expect(query).toMatchObject({ expr: 'avg_over_time(x[30s]) / 30000', interval: '30s' });
  });

  it('resolves $__range, $__range_s and $__range_ms', () => {
    const ds = makeDataSource();
    const query = ds.applyTemplateVariables(
      promql('increase(x[$__range]) + $__range_s + ${__range_ms}'),
      panelVars(15_000, 6 * 3_600_000)
    ) as PromQLQuery;
    expect(query.expr).toBe('increase(x[21600s]) + 21600 + 21600000');
  });

  it('keeps $__rate_interval as min step for the backend, and leaves what it cannot compute', () => {
    const ds = makeDataSource();
    const asMinStep = ds.applyTemplateVariables(
      promql('x', { interval: '$__rate_interval' }),
      panelVars(15_000)
    ) as PromQLQuery;
    expect(asMinStep.interval).toBe('$__rate_interval');
    // No interval in the scoped variables (e.g. an alert rule preview): the backend resolves them.
    const bare = ds.applyTemplateVariables(promql('rate(x[$__rate_interval])'), {}) as PromQLQuery;
    expect(bare.expr).toBe('rate(x[$__rate_interval])');
  });
});

describe('template variables in PromQL', () => {
  it('resolves single values as they are, multi-values as an escaped regex alternation', () => {
    const ds = makeDataSource();
    const query = ds.applyTemplateVariables(
      promql('up{job="$job", instance=~"$instances", x=~"$one"}', { legendFormat: '{{instance}} $legend' }),
      {}
    ) as PromQLQuery;
    expect(query.expr).toBe('up{job="api", instance=~"(host-1:9100|host\\\\.2:9100)", x=~"a\\\\.b"}');
    expect(query.legendFormat).toBe('{{instance}} cpu');
  });

  it('escapes like Grafana’s Prometheus datasource', () => {
    expect(prometheusFormat("it's", undefined)).toBe("it\\\\'s");
    expect(prometheusFormat('a\\b', undefined)).toBe('a\\\\b');
    expect(prometheusRegexEscape('a.b*c|d(e)[f]{g}$^+?')).toBe(
      'a\\\\.b\\\\*c\\\\|d\\\\(e\\\\)\\\\[f\\\\]\\\\{g\\\\}\\\\$\\\\^\\\\+\\\\?'
    );
    expect(prometheusRegexEscape('a\\b')).toBe('a\\\\\\\\b');
    expect(prometheusFormat(['x', 'y.z'], { multi: true })).toBe('(x|y\\\\.z)');
    expect(prometheusFormat('only', { includeAll: true })).toBe('only');
  });

  it('does not touch the query’s identity, and resolves other fields as before', () => {
    const ds = makeDataSource();
    const query = ds.applyTemplateVariables(
      { ...promql('up'), queryType: 'promql-instant', chunkRows: '$job' } as PromQLQuery,
      {}
    );
    expect(query).toMatchObject({ refId: 'A', queryType: 'promql-instant', expr: 'up' });
    // Resolved, and left as text for the backend to reject by name since it is no integer.
    expect(query).toHaveProperty('chunkRows', 'api');
  });
});
