import { prometheusSeriesName, seriesDisplayName } from '../../src/datasource/promql-legend';

const labels = { __name__: 'node_cpu_seconds_total', instance: 'host-1:9100', mode: 'user', cpu: '0' };
const EXPR = 'rate(node_cpu_seconds_total[5m])';

describe('legend format, as Grafana’s Prometheus datasource names series', () => {
  it('replaces {{label}} by the label’s value, with or without spaces, and unknown labels by nothing', () => {
    expect(seriesDisplayName('{{instance}} {{ mode }}', labels, EXPR)).toBe('host-1:9100 user');
    expect(seriesDisplayName('cpu {{cpu}} ({{nope}})', labels, EXPR)).toBe('cpu 0 ()');
    expect(seriesDisplayName('{{__name__}}', labels, EXPR)).toBe('node_cpu_seconds_total');
    expect(seriesDisplayName('fixed', labels, EXPR)).toBe('fixed');
  });

  it('leaves the name to Grafana for __auto, unless there are no labels', () => {
    expect(seriesDisplayName('__auto', labels, EXPR)).toBe('');
    expect(seriesDisplayName('__auto', {}, EXPR)).toBe(EXPR);
  });

  it('names a series in Prometheus notation without a legend format, and by the expression without labels', () => {
    expect(seriesDisplayName('', labels, EXPR)).toBe(
      'node_cpu_seconds_total{cpu="0", instance="host-1:9100", mode="user"}'
    );
    expect(seriesDisplayName('', { job: 'api' }, EXPR)).toBe('{job="api"}');
    expect(seriesDisplayName('', {}, 'sum(up)')).toBe('sum(up)');
  });

  it('writes the metric name alone when it is the only label, and quotes values', () => {
    expect(prometheusSeriesName({ __name__: 'up' })).toBe('up');
    expect(prometheusSeriesName({ path: 'a"b\\c' })).toBe('{path="a\\"b\\\\c"}');
    expect(prometheusSeriesName({})).toBe('{}');
  });
});
