/** The classic-histogram operators against histograms.test: grouping, labels, annotations, errors. */
import { HistogramFractionOperator } from '../../../src/engine/operators/histogram-fraction';
import { HistogramQuantileOperator } from '../../../src/engine/operators/histogram-quantile';
import { HistogramQuantilesOperator } from '../../../src/engine/operators/histogram-quantiles';
import type { Labels } from '../../../src/storage';
import { testContext } from '../helpers/context';
import { replayValues, scalar } from '../helpers/replay';
import { collectSamples, labels, M } from './helpers';

/** Position of the first occurrence of `text` in `query`. */
function pos(query: string, text: string) {
  const start = query.indexOf(text);
  return { start, end: start + text.length };
}

function bucketSeries(
  name: string,
  spec: [Record<string, string>, number][]
): { labels: Labels[]; values: number[][] } {
  return {
    labels: spec.map(([l]) => labels({ __name__: name, ...l })),
    values: spec.map(([, v]) => [v]),
  };
}

const TESTHISTOGRAM3 = bucketSeries('testhistogram3_bucket', [
  [{ le: '0', start: 'positive' }, 0],
  [{ le: '0.1', start: 'positive' }, 50],
  [{ le: '.2', start: 'positive' }, 70],
  [{ le: '1e0', start: 'positive' }, 110],
  [{ le: '+Inf', start: 'positive' }, 110],
  [{ le: '-.25', start: 'negative' }, 0],
  [{ le: '-.2', start: 'negative' }, 10],
  [{ le: '-0.1', start: 'negative' }, 20],
  [{ le: '0.3', start: 'negative' }, 20],
  [{ le: '+Inf', start: 'negative' }, 20],
]);

function quantileOp(query: string, phi: number, series: { labels: Labels[]; values: number[][] }, vector: string) {
  const ctx = testContext({ start: 50 * M, end: 50 * M, step: M, query });
  const op = new HistogramQuantileOperator(
    ctx,
    scalar(ctx, phi),
    replayValues(ctx, series.labels, series.values),
    pos(query, String(phi)),
    pos(query, vector)
  );
  return { ctx, op };
}

describe('HistogramQuantileOperator', () => {
  it('groups by all labels but le and drops the metric name', async () => {
    const { ctx, op } = quantileOp(
      'histogram_quantile(0.25, testhistogram3_bucket)',
      0.25,
      TESTHISTOGRAM3,
      'testhistogram3_bucket'
    );
    expect(await op.series()).toEqual([labels({ start: 'positive' }), labels({ start: 'negative' })]);
    const [step] = await collectSamples(op);
    expect(step.t).toBe(50 * M);
    expect(step.samples['start=positive']).toBeCloseTo(0.055, 12);
    expect(step.samples['start=negative']).toBeCloseTo(-0.225, 12);
    expect(ctx.annotations.warnings.size + ctx.annotations.infos.size).toBe(0);
  });

  it('warns about φ out of range at every step, even without buckets', async () => {
    const query = 'histogram_quantile(NaN, non_existent)';
    const ctx = testContext({ start: 0, end: 2 * M, step: M, query });
    const op = new HistogramQuantileOperator(
      ctx,
      scalar(ctx, NaN),
      replayValues(ctx, [], []),
      pos(query, 'NaN'),
      pos(query, 'non_existent')
    );
    expect(await collectSamples(op)).toEqual([0, 1, 2].map((i) => ({ t: i * M, samples: {} })));
    expect([...ctx.annotations.warnings]).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got NaN (1:20)',
    ]);
  });

  it('returns -Inf for φ < 0 with a warning', async () => {
    const { ctx, op } = quantileOp(
      'histogram_quantile(-0.1, testhistogram3_bucket)',
      -0.1,
      TESTHISTOGRAM3,
      'testhistogram3_bucket'
    );
    const [step] = await collectSamples(op);
    expect(step.samples).toEqual({ 'start=positive': -Infinity, 'start=negative': -Infinity });
    expect([...ctx.annotations.warnings]).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got -0.1 (1:20)',
    ]);
  });

  it('ignores series with a bad le, with a warning naming the metric', async () => {
    const query = 'histogram_quantile(0.5, series)';
    const series = bucketSeries('series', [
      [{ le: '0.5' }, 1],
      [{ le: '+Inf' }, 3],
      [{ le: 'NaN' }, 2],
    ]);
    const { ctx, op } = quantileOp(query, 0.5, series, 'series');
    expect(await collectSamples(op)).toEqual([{ t: 50 * M, samples: { '': 0.5 } }]);
    expect([...ctx.annotations.warnings]).toEqual([
      'PromQL warning: bucket label "le" is missing or has a malformed value of "NaN" for metric name "series" (1:25)',
    ]);

    const missing = quantileOp(query, 0.8, bucketSeries('series', [[{ ale: '0.1' }, 2]]), 'series');
    expect(await missing.op.series()).toEqual([]);
    expect(await collectSamples(missing.op)).toEqual([{ t: 50 * M, samples: {} }]);
    expect([...missing.ctx.annotations.warnings]).toEqual([
      'PromQL warning: bucket label "le" is missing or has a malformed value of "" for metric name "series" (1:25)',
    ]);
  });

  it('fixes monotonicity and reports it once, merged over steps', async () => {
    const query = 'histogram_quantile(0.5, nonmonotonic_bucket)';
    const spec: [string, number][] = [
      ['0.1', 2],
      ['1', 1],
      ['10', 5],
      ['100', 4],
      ['1000', 9],
      ['+Inf', 8],
    ];
    const ctx = testContext({ start: 45 * M, end: 50 * M, step: 5 * M, query });
    // 0+Nx10 at 5m: the value at step k (45m, 50m) is N·(9 + k).
    const child = replayValues(
      ctx,
      spec.map(([le]) => labels({ __name__: 'nonmonotonic_bucket', le })),
      spec.map(([, n]) => [9 * n, 10 * n])
    );
    const op = new HistogramQuantileOperator(
      ctx,
      scalar(ctx, 0.5),
      child,
      pos(query, '0.5'),
      pos(query, 'nonmonotonic_bucket')
    );
    const steps = await collectSamples(op);
    expect(steps[1].samples).toEqual({ '': 8.5 });
    expect([...ctx.annotations.infos]).toEqual([
      'PromQL info: input to histogram_quantile needed to be fixed for monotonicity ' +
        '(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) ' +
        'for metric name "nonmonotonic_bucket", from buckets 1 to +Inf, with a max diff of 10, ' +
        'over 2 samples from 1970-01-01T00:45:00Z to 1970-01-01T00:50:00Z (1:25)',
    ]);
  });

  it('fails when two histograms differ only in their name', async () => {
    const query = 'histogram_quantile(0.99, {__name__=~"request_duration_seconds\\\\d*_bucket"})';
    const series = {
      labels: [
        ...['0.1', '+Inf'].map((le) => labels({ __name__: 'request_duration_seconds_bucket', job: 'job1', le })),
        ...['0.1', '+Inf'].map((le) => labels({ __name__: 'request_duration_seconds2_bucket', job: 'job1', le })),
      ],
      values: [[1], [4], [1], [4]],
    };
    const { op } = quantileOp(query, 0.99, series, '{');
    expect(await op.series()).toEqual([labels({ job: 'job1' })]);
    await expect(collectSamples(op)).rejects.toThrow('vector cannot contain metrics with the same labelset');
  });
});

describe('HistogramQuantilesOperator', () => {
  it('labels each φ with its OpenMetrics text', async () => {
    const query = 'histogram_quantiles(testhistogram3_bucket, "q", 0, 0.25, 1)';
    const ctx = testContext({ start: 50 * M, end: 50 * M, step: M, query });
    const op = new HistogramQuantilesOperator(
      ctx,
      replayValues(ctx, TESTHISTOGRAM3.labels, TESTHISTOGRAM3.values),
      'q',
      [0, 0.25, 1].map((q) => scalar(ctx, q)),
      [pos(query, '0,'), pos(query, '0.25'), pos(query, '1)')],
      pos(query, 'testhistogram3_bucket')
    );
    const [step] = await collectSamples(op);
    expect(Object.keys(step.samples).sort()).toEqual([
      'q=0.0,start=negative',
      'q=0.0,start=positive',
      'q=0.25,start=negative',
      'q=0.25,start=positive',
      'q=1.0,start=negative',
      'q=1.0,start=positive',
    ]);
    expect(step.samples['q=1.0,start=negative']).toBeCloseTo(-0.1, 12);
    expect(ctx.annotations.warnings.size).toBe(0);
  });

  it('fails when the quantile label overwrites a distinguishing label', async () => {
    const query = 'histogram_quantiles(testhistogram3_bucket, "start", 0, 0.25)';
    const ctx = testContext({ start: 50 * M, end: 50 * M, step: M, query });
    const op = new HistogramQuantilesOperator(
      ctx,
      replayValues(ctx, TESTHISTOGRAM3.labels, TESTHISTOGRAM3.values),
      'start',
      [0, 0.25].map((q) => scalar(ctx, q)),
      [pos(query, '0,'), pos(query, '0.25')],
      pos(query, 'testhistogram3_bucket')
    );
    await expect(collectSamples(op)).rejects.toThrow('vector cannot contain metrics with the same labelset');
  });
});

describe('HistogramFractionOperator', () => {
  it('estimates the fraction between two bounds', async () => {
    const query = 'histogram_fraction(-Inf, 1, series)';
    const ctx = testContext({ start: 0, end: 0, step: M, query });
    const series = bucketSeries('series', [
      [{ le: '0.5' }, 1],
      [{ le: '+Inf' }, 3],
      [{ le: 'NaN' }, 2],
    ]);
    const op = new HistogramFractionOperator(
      ctx,
      scalar(ctx, -Infinity),
      scalar(ctx, 1),
      replayValues(ctx, series.labels, series.values),
      pos(query, 'series')
    );
    const [step] = await collectSamples(op);
    expect(step.samples['']).toBeCloseTo(1 / 3, 14);
    expect([...ctx.annotations.warnings]).toEqual([
      'PromQL warning: bucket label "le" is missing or has a malformed value of "NaN" for metric name "series" (1:29)',
    ]);
  });
});
