/** Cases from Prometheus' promqltest aggregators.test, with the selector replayed by a test double. */
import { HashAggregateOperator, type HashAggregateOp } from '../../../src/engine/aggregations/hash-aggregate';
import type { QueryContext } from '../../../src/engine/model/context';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { PositionRange } from '../../../src/engine/parser/ast';
import { testContext } from '../helpers/context';
import { expectInstant, expectMatrix, load, type LoadedSeries } from '../helpers/promqltest';
import { asMatrix, atStep, collect, matching, ReplayOperator, scalar, select } from '../helpers/replay';

const M = 60_000;

function aggregate(
  ctx: QueryContext,
  op: HashAggregateOp,
  child: VectorOperator,
  grouping: string[] = [],
  without = false,
  param: VectorOperator | null = null,
  paramPos: PositionRange | null = null
): HashAggregateOperator {
  return new HashAggregateOperator(ctx, op, child, grouping, without, param, paramPos);
}

async function instant(op: HashAggregateOperator): Promise<[string, number][]> {
  return atStep(await collect(op));
}

describe('basic aggregations (aggregators.test, first load)', () => {
  const data = [
    ...load(
      5 * M,
      `
      http_requests{job="api-server", instance="0", group="production"} 0+10x10
      http_requests{job="api-server", instance="1", group="production"} 0+20x10
      http_requests{job="api-server", instance="0", group="canary"}   0+30x10
      http_requests{job="api-server", instance="1", group="canary"}   0+40x10
      http_requests{job="app-server", instance="0", group="production"} 0+50x10
      http_requests{job="app-server", instance="1", group="production"} 0+60x10
      http_requests{job="app-server", instance="0", group="canary"}   0+70x10
      http_requests{job="app-server", instance="1", group="canary"}   0+80x10`
    ),
    ...load(
      5 * M,
      `
      foo{job="api-server", instance="0", region="europe"} 0+90x10
      foo{job="api-server"} 0+100x10`
    ),
  ];
  const ctx = (): QueryContext => testContext({ start: 50 * M });
  const api = (c: QueryContext): VectorOperator => select(c, data, matching('http_requests', { job: 'api-server' }));
  const all = (c: QueryContext): VectorOperator => select(c, data, matching('http_requests'));

  it('sums, averages and counts by group', async () => {
    let c = ctx();
    expectInstant(
      await instant(aggregate(c, 'sum', api(c), ['group'])),
      '{group="canary"} 700\n{group="production"} 300'
    );
    c = ctx();
    expectInstant(
      await instant(aggregate(c, 'avg', api(c), ['group'])),
      '{group="canary"} 350\n{group="production"} 150'
    );
    c = ctx();
    expectInstant(
      await instant(aggregate(c, 'count', api(c), ['group'])),
      '{group="canary"} 2\n{group="production"} 2'
    );
  });

  it('without drops the listed labels and the metric name', async () => {
    const c = ctx();
    expectInstant(
      await instant(aggregate(c, 'sum', api(c), ['instance'], true)),
      '{group="canary",job="api-server"} 700\n{group="production",job="api-server"} 300'
    );
    const c2 = ctx();
    const production = select(c2, data, matching('http_requests', { job: 'api-server', group: 'production' }));
    expectInstant(
      await instant(aggregate(c2, 'sum', production, [], true)),
      '{group="production",job="api-server",instance="0"} 100\n{group="production",job="api-server",instance="1"} 200'
    );
  });

  it('empty by and no grouping make one group', async () => {
    let c = ctx();
    expectInstant(await instant(aggregate(c, 'sum', api(c), [])), '{} 1000');
    c = ctx();
    expectInstant(await instant(aggregate(c, 'sum', all(c))), '{} 3600');
  });

  it('without with mismatched and missing labels', async () => {
    const c = ctx();
    const either = select(c, data, (l) => matching('http_requests', { job: 'api-server' })(l) || matching('foo')(l));
    expectInstant(
      await instant(aggregate(c, 'sum', either, ['instance'], true)),
      `{group="canary",job="api-server"} 700
       {group="production",job="api-server"} 300
       {region="europe",job="api-server"} 900
       {job="api-server"} 1000`
    );
  });

  it('by ignores labels no series has', async () => {
    const c = ctx();
    expectInstant(
      await instant(aggregate(c, 'sum', all(c), ['job', 'nonexistent'])),
      '{job="api-server"} 1000\n{job="app-server"} 2600'
    );
  });

  it('min, max, avg and count by job', async () => {
    const cases: [HashAggregateOp, string][] = [
      ['min', '{job="api-server"} 100\n{job="app-server"} 500'],
      ['max', '{job="api-server"} 400\n{job="app-server"} 800'],
      ['avg', '{job="api-server"} 250\n{job="app-server"} 650'],
      ['count', '{job="api-server"} 4\n{job="app-server"} 4'],
      ['sum', '{job="api-server"} 1000\n{job="app-server"} 2600'],
    ];
    for (const [op, expected] of cases) {
      const c = ctx();
      expectInstant(await instant(aggregate(c, op, all(c), ['job'])), expected);
    }
    const c = ctx();
    expectInstant(
      await instant(aggregate(c, 'sum', all(c), ['job', 'group'])),
      `{group="canary", job="api-server"} 700
       {group="canary", job="app-server"} 1500
       {group="production", job="api-server"} 300
       {group="production", job="app-server"} 1100`
    );
  });

  it('stddev and stdvar', async () => {
    let c = ctx();
    expectInstant(await instant(aggregate(c, 'stddev', all(c))), '{} 229.12878474779');
    c = ctx();
    expectInstant(
      await instant(aggregate(c, 'stddev', all(c), ['instance'])),
      '{instance="0"} 223.60679774998\n{instance="1"} 223.60679774998'
    );
    c = ctx();
    expectInstant(await instant(aggregate(c, 'stdvar', all(c))), '{} 52500');
    c = ctx();
    expectInstant(
      await instant(aggregate(c, 'stdvar', all(c), ['instance'])),
      '{instance="0"} 50000\n{instance="1"} 50000'
    );
  });

  it('emits groups in group order and nothing for groups without samples, over a range', async () => {
    const c = testContext({ start: 0, end: 60 * M, step: 5 * M, stepsBatch: 4 });
    const result = await collect(aggregate(c, 'sum', select(c, data, matching('foo')), ['region']));
    expect(result.series.map((l) => l.map((x) => `${x.name}=${x.value}`).join(','))).toEqual(['region=europe', '']);
    expect(result.batchSizes).toEqual([4, 4, 4, 1]);
    expectMatrix(asMatrix(result), '{} 0+100x10 _ _\n{region="europe"} 0+90x10 _ _');
    for (const step of result.steps) {
      expect(step.ids).toEqual([...step.ids].sort((a, b) => a - b));
    }
  });
});

describe('float precision', () => {
  it('stddev of equal values is exactly 0', async () => {
    const data = load(
      5 * M,
      `
      http_requests{job="api-server", instance="0", group="production"} 0+1.33x10
      http_requests{job="api-server", instance="1", group="production"} 0+1.33x10
      http_requests{job="api-server", instance="0", group="canary"} 0+1.33x10`
    );
    for (const op of ['stddev', 'stdvar'] as const) {
      const c = testContext({ start: 50 * M });
      const result = await instant(aggregate(c, op, select(c, data, matching('http_requests'))));
      expect(result).toEqual([['{}', 0]]);
    }
  });

  it('grouping keys do not confuse label boundaries', async () => {
    const data = load(
      5 * M,
      `
      label_grouping_test{a="aa", b="bb"} 0+10x10
      label_grouping_test{a="a", b="abb"} 0+20x10`
    );
    const c = testContext({ start: 50 * M });
    expectInstant(
      await instant(aggregate(c, 'sum', select(c, data, matching('label_grouping_test')), ['a', 'b'])),
      '{a="a", b="abb"} 200\n{a="aa", b="bb"} 100'
    );
  });
});

describe('min and max treat NaN as lowest priority', () => {
  const data = load(
    5 * M,
    `
    http_requests{job="api-server", instance="0", group="production"} 1
    http_requests{job="api-server", instance="1", group="production"} 2
    http_requests{job="api-server", instance="0", group="canary"} NaN
    http_requests{job="api-server", instance="1", group="canary"} 3
    http_requests{job="api-server", instance="2", group="canary"} 4`
  );
  it.each([
    ['max', [], '{} 4'],
    ['min', [], '{} 1'],
    ['max', ['group'], '{group="production"} 2\n{group="canary"} 4'],
    ['min', ['group'], '{group="production"} 1\n{group="canary"} 3'],
  ] as const)('%s by %j', async (op, grouping, expected) => {
    const c = testContext({ start: 0 });
    expectInstant(await instant(aggregate(c, op, select(c, data, matching('http_requests')), [...grouping])), expected);
  });

  it('a NaN first is replaced, a NaN alone stays', async () => {
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(
      c,
      [[{ name: 'a', value: '1' }], [{ name: 'a', value: '2' }]],
      [{ t: 0, ids: [0, 1], values: [NaN, -5] }]
    );
    expect(await instant(aggregate(c, 'max', child))).toEqual([['{}', -5]]);
    const c2 = testContext({ start: 0 });
    const alone = new ReplayOperator(c2, [[{ name: 'a', value: '1' }]], [{ t: 0, ids: [0], values: [NaN] }]);
    expect((await instant(aggregate(c2, 'min', alone)))[0][1]).toBeNaN();
  });
});

describe('quantile', () => {
  const data = load(
    10_000,
    `
    data{test="two samples",point="a"} 0
    data{test="two samples",point="b"} 1
    data{test="three samples",point="a"} 0
    data{test="three samples",point="b"} 1
    data{test="three samples",point="c"} 2
    data{test="uneven samples",point="a"} 0
    data{test="uneven samples",point="b"} 1
    data{test="uneven samples",point="c"} 4
    data{test="NaN sample",point="a"} 0
    data{test="NaN sample",point="b"} 1
    data{test="NaN sample",point="c"} NaN
    foo 0 1 0 1 0 1 0.8`
  );
  const foo = [0, 1, 0, 1, 0, 1, 0.8];
  const quantileOf = (
    c: QueryContext,
    q: VectorOperator,
    pos: PositionRange = { start: 29, end: 32 }
  ): HashAggregateOperator => aggregate(c, 'quantile', select(c, data, matching('data')), ['point'], true, q, pos);

  it('interpolates, with NaN as the smallest value', async () => {
    let c = testContext({ start: M });
    expectInstant(
      await instant(quantileOf(c, scalar(c, 0.8))),
      `{test="two samples"} 0.8
       {test="three samples"} 1.6
       {test="uneven samples"} 2.8
       {test="NaN sample"} 0.6`
    );
    c = testContext({ start: M });
    expectInstant(
      await instant(quantileOf(c, scalar(c, 0.2))),
      `{test="two samples"} 0.2
       {test="three samples"} 0.4
       {test="uneven samples"} 0.4
       {test="NaN sample"} NaN`
    );
    expect([...c.annotations.warnings]).toEqual([]);
  });

  it('φ NaN gives NaN and a warning at the parameter position', async () => {
    const c = testContext({ start: M });
    // quantile without(point)(NaN, data): the parameter starts at byte 25.
    const result = await instant(quantileOf(c, scalar(c, NaN), { start: 25, end: 28 }));
    expect(result.every(([, v]) => Number.isNaN(v))).toBe(true);
    expect([...c.annotations.warnings]).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got NaN (1:26)',
    ]);
  });

  it('φ outside [0, 1] gives ±Inf and warns with the extremes', async () => {
    const c = testContext({ start: 0, end: 20_000, step: 10_000 });
    const q = scalar(c, (t) => [1.5, -0.25, 0.5][t / 10_000]);
    const m = asMatrix(await collect(quantileOf(c, q, { start: 0, end: 1 })));
    expect(m.get('{test="two samples"}')).toEqual([Infinity, -Infinity, 0.5]);
    expect([...c.annotations.warnings].sort()).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got -0.25 (1:1)',
      'PromQL warning: quantile value should be between 0 and 1, got 1.5 (1:1)',
    ]);
  });

  it('takes φ per step in a range query (bug #15971)', async () => {
    const c = testContext({ start: 0, end: M, step: 10_000, stepsBatch: 2 });
    const q = scalar(c, (t) => foo[t / 10_000]);
    expectMatrix(
      asMatrix(await collect(quantileOf(c, q))),
      `{test="two samples"} 0 1 0 1 0 1 0.8
       {test="three samples"} 0 2 0 2 0 2 1.6
       {test="uneven samples"} 0 4 0 4 0 4 2.8
       {test="NaN sample"} NaN 1 NaN 1 NaN 1 0.6`
    );
  });

  it('does not interpolate with zero weight next to infinity', async () => {
    const inf = load(
      10_000,
      `
      data{test="finite before +Inf",point="a"} 1
      data{test="finite before +Inf",point="b"} 2
      data{test="finite before +Inf",point="c"} Inf
      data{test="finite after -Inf",point="a"} -Inf
      data{test="finite after -Inf",point="b"} 2
      data{test="finite after -Inf",point="c"} 3
      data{test="positive infinity",point="a"} 1
      data{test="positive infinity",point="b"} Inf
      data{test="negative infinity",point="a"} -Inf
      data{test="mixed infinities",point="a"} -Inf
      data{test="mixed infinities",point="b"} Inf`
    );
    const c = testContext({ start: 0 });
    expectInstant(
      await instant(
        aggregate(c, 'quantile', select(c, inf, matching('data')), ['point'], true, scalar(c, 0.5), {
          start: 0,
          end: 0,
        })
      ),
      `{test="finite before +Inf"} 2
       {test="finite after -Inf"} 2
       {test="positive infinity"} +Inf
       {test="negative infinity"} -Inf
       {test="mixed infinities"} NaN`
    );
    expect(c.annotations.warnings.size).toBe(0);
  });
});

describe('group', () => {
  it('is 1 per group', async () => {
    const data = load(
      10_000,
      `
      data{test="two samples",point="a"} 0
      data{test="two samples",point="b"} 1
      data{test="three samples",point="a"} 0
      data{test="three samples",point="b"} 1
      data{test="three samples",point="c"} 2
      foo .8`
    );
    let c = testContext({ start: M });
    expectInstant(
      await instant(aggregate(c, 'group', select(c, data, matching('data')), ['point'], true)),
      '{test="two samples"} 1\n{test="three samples"} 1'
    );
    c = testContext({ start: M });
    expectInstant(await instant(aggregate(c, 'group', select(c, data, matching('foo')))), '{} 1');
  });
});

describe('avg', () => {
  const data = load(
    10_000,
    `
    data{test="ten",point="a"} 8
    data{test="ten",point="b"} 10
    data{test="ten",point="c"} 12
    data{test="inf",point="a"} 0
    data{test="inf",point="b"} Inf
    data{test="inf",point="d"} Inf
    data{test="inf",point="c"} 0
    data{test="-inf",point="a"} -Inf
    data{test="-inf",point="b"} -Inf
    data{test="-inf",point="c"} 0
    data{test="inf2",point="a"} Inf
    data{test="inf2",point="b"} 0
    data{test="inf2",point="c"} Inf
    data{test="-inf2",point="a"} -Inf
    data{test="-inf2",point="b"} 0
    data{test="-inf2",point="c"} -Inf
    data{test="inf3",point="b"} Inf
    data{test="inf3",point="d"} Inf
    data{test="inf3",point="c"} Inf
    data{test="inf3",point="d"} -Inf
    data{test="-inf3",point="b"} -Inf
    data{test="-inf3",point="d"} -Inf
    data{test="-inf3",point="c"} -Inf
    data{test="-inf3",point="c"} Inf
    data{test="nan",point="a"} -Inf
    data{test="nan",point="b"} 0
    data{test="nan",point="c"} Inf
    data{test="big",point="a"} 9.988465674311579e+307
    data{test="big",point="b"} 9.988465674311579e+307
    data{test="big",point="c"} 9.988465674311579e+307
    data{test="big",point="d"} 9.988465674311579e+307
    data{test="-big",point="a"} -9.988465674311579e+307
    data{test="-big",point="b"} -9.988465674311579e+307
    data{test="-big",point="c"} -9.988465674311579e+307
    data{test="-big",point="d"} -9.988465674311579e+307
    data{test="bigzero",point="a"} -9.988465674311579e+307
    data{test="bigzero",point="b"} -9.988465674311579e+307
    data{test="bigzero",point="c"} 9.988465674311579e+307
    data{test="bigzero",point="d"} 9.988465674311579e+307
    data{test="value is nan"} NaN`
  );
  it.each([
    ['ten', 10],
    ['inf', Infinity],
    ['inf2', Infinity],
    ['inf3', NaN],
    ['-inf', -Infinity],
    ['-inf2', -Infinity],
    ['-inf3', NaN],
    ['nan', NaN],
    ['big', 9.988465674311579e307],
    ['-big', -9.988465674311579e307],
    ['bigzero', 0],
  ])('avg(data{test=%j}) = %p', async (test, expected) => {
    const c = testContext({ start: M });
    const [[, v]] = await instant(aggregate(c, 'avg', select(c, data, matching('data', { test }))));
    if (Number.isNaN(expected)) {
      expect(v).toBeNaN();
    } else {
      expect(v).toBe(expected);
    }
  });

  it('is NaN when a NaN is in the mix', async () => {
    const c = testContext({ start: M });
    expect((await instant(aggregate(c, 'avg', select(c, data, matching('data')))))[0][1]).toBeNaN();
  });

  it('direct mean of equal values is exact', async () => {
    const c = testContext({ start: 0 });
    const labels = Array.from({ length: 12 }, (_, i) => [{ name: 'idx', value: String(i) }]);
    const child = new ReplayOperator(c, labels, [{ t: 0, ids: labels.map((_, i) => i), values: labels.map(() => 52) }]);
    expect(await instant(aggregate(c, 'avg', child))).toEqual([['{}', 52]]);
  });
});

describe('summing and averaging extreme values', () => {
  const data = load(
    10_000,
    `
    data{test="ten",point="a"} 2
    data{test="ten",point="b"} 8
    data{test="ten",point="c"} 1e+100
    data{test="ten",point="d"} -1e100
    data{test="pos_inf",group="1",point="a"} Inf
    data{test="pos_inf",group="1",point="b"} 2
    data{test="pos_inf",group="2",point="a"} 2
    data{test="pos_inf",group="2",point="b"} Inf
    data{test="neg_inf",group="1",point="a"} -Inf
    data{test="neg_inf",group="1",point="b"} 2
    data{test="neg_inf",group="2",point="a"} 2
    data{test="neg_inf",group="2",point="b"} -Inf
    data{test="inf_inf",point="a"} Inf
    data{test="inf_inf",point="b"} -Inf
    data{test="nan",group="1",point="a"} NaN
    data{test="nan",group="1",point="b"} 2
    data{test="nan",group="2",point="a"} 2
    data{test="nan",group="2",point="b"} NaN`
  );
  const run = async (op: HashAggregateOp, test: string, grouping: string[] = []): Promise<[string, number][]> => {
    const c = testContext({ start: M });
    return instant(aggregate(c, op, select(c, data, matching('data', { test })), grouping));
  };

  it('Kahan summation keeps the small terms', async () => {
    expect(await run('sum', 'ten')).toEqual([['{}', 10]]);
    expect(await run('avg', 'ten')).toEqual([['{}', 2.5]]);
  });

  it('infinities and NaN', async () => {
    expectInstant(await run('sum', 'pos_inf', ['group']), '{group="1"} Inf\n{group="2"} Inf');
    expectInstant(await run('avg', 'pos_inf', ['group']), '{group="1"} Inf\n{group="2"} Inf');
    expectInstant(await run('sum', 'neg_inf', ['group']), '{group="1"} -Inf\n{group="2"} -Inf');
    expectInstant(await run('avg', 'neg_inf', ['group']), '{group="1"} -Inf\n{group="2"} -Inf');
    expectInstant(await run('sum', 'inf_inf'), '{} NaN');
    expectInstant(await run('avg', 'inf_inf'), '{} NaN');
    expectInstant(await run('sum', 'nan', ['group']), '{group="1"} NaN\n{group="2"} NaN');
    expectInstant(await run('avg', 'nan', ['group']), '{group="1"} NaN\n{group="2"} NaN');
  });
});

describe('stddev and stdvar with NaN and Inf', () => {
  const cases: [string, string, string][] = [
    [
      'series{label="a"} 1\nseries{label="b"} 2\nseries{label="c"} NaN',
      '{} NaN',
      '{label="a"} 0\n{label="b"} 0\n{label="c"} NaN',
    ],
    [
      'series{label="a"} NaN\nseries{label="b"} 1\nseries{label="c"} 2',
      '{} NaN',
      '{label="a"} NaN\n{label="b"} 0\n{label="c"} 0',
    ],
    ['series NaN', '{} NaN', ''],
    [
      'series{label="a"} 1\nseries{label="b"} 2\nseries{label="c"} inf',
      '{} NaN',
      '{label="a"} 0\n{label="b"} 0\n{label="c"} NaN',
    ],
    [
      'series{label="a"} inf\nseries{label="b"} 1\nseries{label="c"} 2',
      '{} NaN',
      '{label="a"} NaN\n{label="b"} 0\n{label="c"} 0',
    ],
    ['series inf', '{} NaN', ''],
    ['series{label="a"} 1\nseries{label="b"} 2', '', ''],
  ];
  it.each(cases)('%s', async (block, all, byLabel) => {
    const data: LoadedSeries[] = load(5 * M, block);
    for (const op of ['stddev', 'stdvar'] as const) {
      let c = testContext({ start: 0 });
      const result = await instant(aggregate(c, op, select(c, data, matching('series'))));
      if (all !== '') {
        expectInstant(result, all);
      } else {
        expectInstant(result, op === 'stddev' ? '{} 0.5' : '{} 0.25');
      }
      if (byLabel !== '') {
        c = testContext({ start: 0 });
        expectInstant(await instant(aggregate(c, op, select(c, data, matching('series')), ['label'])), byLabel);
      }
    }
  });
});

describe('bit-exact with Prometheus on awkward data (values printed by Prometheus v0.316.0)', () => {
  const overflowing = [
    -853598265080.664, 514281.8591304987, -22073.799048388842, 1e308, 57.3, 31.4, 1.8873975421003684e16, 6.9, 1.7e308,
    328304.41094934894, 1.7e308, 98619187.89332682, -228417.11510657833, -954874143.8888229, 221839.0869661537,
    -563584.4503606411, 476726.75918958825, 833632.4523601229, -667267.4350561589, -444321.73843109864, 0.1,
    100439.10560639296, 98.6, -2.391173994879245e-7, -647564.5430192593,
  ];
  const mixed = [
    97.2, -197226.36426459707, 72.5, -745923.2654042713, 809704.1914664786, 14.6, 98.0, -299184975684994.25,
    -9.572066513561766e-15, 8672496.101148535, 19.5, 2.8, 2323.839672496775, 32.6, 6.683899928789388e-18, 35.4,
    166697.54408370005, 42.1, 50.2, 4.701317117433268e-21, 77.7, 5.520779311533339e-12, -53014.13507608732, 55.6,
    36697.425406073686,
  ];
  const run = async (op: HashAggregateOp, values: number[], q?: number): Promise<number> => {
    const c = testContext({ start: 0 });
    const labels = values.map((_, i) => [{ name: 'i', value: String(i).padStart(2, '0') }]);
    const child = new ReplayOperator(c, labels, [{ t: 0, ids: values.map((_, i) => i), values }]);
    const param = q === undefined ? null : scalar(c, q);
    const [[, v]] = await instant(aggregate(c, op, child, [], false, param, { start: 0, end: 0 }));
    return v;
  };

  it('avg switches to the incremental mean when the sum would overflow', async () => {
    expect(await run('avg', overflowing)).toBe(1.7599999999999995e307);
    expect(await run('sum', overflowing)).toBe(Infinity);
  });

  it('sum, avg, stddev, stdvar and quantile', async () => {
    expect(await run('sum', mixed)).toBe(-2.991849669926407e14);
    expect(await run('avg', mixed)).toBe(-1.1967398679705629e13);
    expect(await run('stddev', mixed)).toBe(5.862804240179102e13);
    expect(await run('stdvar', mixed)).toBe(3.4372473558662064e27);
    expect(await run('quantile', mixed, 0.77)).toBe(97.584);
    expect(await run('quantile', overflowing, 0.77)).toBe(667570.1438807185);
  });

  it('quantile sorts like Go, so the same one of 0 and -0 lands on a rank as in Prometheus', async () => {
    // quantile_over_time sorts the same values stably and gets -0.
    expect(await run('quantile', [0, 1, -1, -1, 1, 0, 1, -0, 0, -1, 0, -1, 0], 0.5)).toBe(0);
  });
});

describe('operator contract', () => {
  it('rejects a parameter for sum and requires one for quantile', () => {
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(c, [], [{ t: 0, ids: [], values: [] }]);
    expect(() => aggregate(c, 'sum', child, [], false, scalar(c, 1))).toThrow();
    expect(() => aggregate(c, 'quantile', child)).toThrow();
  });

  it('covers every step, with empty vectors where nothing is aggregated', async () => {
    const c = testContext({ start: 0, end: 4, step: 1, stepsBatch: 2 });
    const child = new ReplayOperator(
      c,
      [[{ name: 'a', value: '1' }]],
      [0, 1, 2, 3, 4].map((t) => (t % 2 === 0 ? { t, ids: [0], values: [t] } : { t, ids: [], values: [] }))
    );
    const result = await collect(aggregate(c, 'count', child));
    expect(result.batchSizes).toEqual([2, 2, 1]);
    expect(result.steps.map((s) => s.ids.length)).toEqual([1, 0, 1, 0, 1]);
  });

  it('sums in the order of the step vector (the order of the input series)', async () => {
    const c = testContext({ start: 0 });
    const labels = [[{ name: 'a', value: '1' }], [{ name: 'a', value: '2' }], [{ name: 'a', value: '3' }]];
    // Neumaier's compensation is exact here in either order; plain addition is not.
    const child = new ReplayOperator(c, labels, [{ t: 0, ids: [2, 0, 1], values: [1e100, 1, -1e100] }]);
    expect(await instant(aggregate(c, 'sum', child))).toEqual([['{}', 1]]);
  });

  it('describes itself', () => {
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(c, [], []);
    expect(aggregate(c, 'sum', child, ['job'], true).describe()).toBe('sum without (job)');
    expect(aggregate(c, 'avg', child).describe()).toBe('avg');
  });
});
