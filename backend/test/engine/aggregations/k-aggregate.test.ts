/**
 * topk/bottomk/limitk/limit_ratio: cases from Prometheus' aggregators.test and limit.test, and tie
 * orders recorded from Prometheus v0.316.0 itself (`topk(20, sort_by_label(x, "i"))` etc. over the
 * series of `tieData`, whose input order is then the label order).
 */
import { KAggregateOperator, type KAggregateOp } from '../../../src/engine/aggregations/k-aggregate';
import type { QueryContext } from '../../../src/engine/model/context';
import { labelValue } from '../../../src/engine/model/labels';
import type { VectorOperator } from '../../../src/engine/model/operator';
import { testContext } from '../helpers/context';
import { expectInstant, load } from '../helpers/promqltest';
import {
  asMatrix,
  atStep,
  collect,
  matching,
  ReplayOperator,
  scalar,
  select,
  stepTimes,
  type Collected,
} from '../helpers/replay';

const M = 60_000;

function kAggregate(
  ctx: QueryContext,
  op: KAggregateOp,
  param: VectorOperator | number,
  child: VectorOperator,
  grouping: string[] = [],
  without = false
): KAggregateOperator {
  const p = typeof param === 'number' ? scalar(ctx, param) : param;
  return new KAggregateOperator(ctx, op, child, grouping, without, p, { start: 5, end: 8 });
}

/** Count of selected series per step, like count(...) over a range. */
function counts(result: Collected): (number | undefined)[] {
  return result.steps.map((s) => (s.ids.length === 0 ? undefined : s.ids.length));
}

describe('topk and bottomk (aggregators.test)', () => {
  const data = load(
    5 * M,
    `
    http_requests{job="api-server", instance="0", group="production"}	0+10x10
    http_requests{job="api-server", instance="1", group="production"}	0+20x10
    http_requests{job="api-server", instance="2", group="production"}	NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN
    http_requests{job="api-server", instance="0", group="canary"}		0+30x10
    http_requests{job="api-server", instance="1", group="canary"}		0+40x10
    http_requests{job="app-server", instance="0", group="production"}	0+50x10
    http_requests{job="app-server", instance="1", group="production"}	0+60x10
    http_requests{job="app-server", instance="0", group="canary"}		0+70x10
    http_requests{job="app-server", instance="1", group="canary"}		0+80x10
    foo 1+1x9 3`
  );
  const at50 = (): QueryContext => testContext({ start: 50 * M });
  const requests = (c: QueryContext, equal: Record<string, string> = {}): VectorOperator =>
    select(c, data, matching('http_requests', equal));
  const run = async (
    op: KAggregateOp,
    k: number,
    equal: Record<string, string> = {},
    grouping: string[] = []
  ): Promise<[string, number][]> => {
    const c = at50();
    return atStep(await collect(kAggregate(c, op, k, requests(c, equal), grouping)));
  };

  it('orders topk descending and bottomk ascending, keeping the metric name', async () => {
    expectInstant(
      await run('topk', 3),
      `http_requests{group="canary", instance="1", job="app-server"} 800
       http_requests{group="canary", instance="0", job="app-server"} 700
       http_requests{group="production", instance="1", job="app-server"} 600`,
      true
    );
    expectInstant(
      await run('topk', 5, { group: 'canary', job: 'app-server' }),
      `http_requests{group="canary", instance="1", job="app-server"} 800
       http_requests{group="canary", instance="0", job="app-server"} 700`,
      true
    );
    expectInstant(
      await run('bottomk', 3),
      `http_requests{group="production", instance="0", job="api-server"} 100
       http_requests{group="production", instance="1", job="api-server"} 200
       http_requests{group="canary", instance="0", job="api-server"} 300`,
      true
    );
    expectInstant(
      await run('bottomk', 5, { group: 'canary', job: 'app-server' }),
      `http_requests{group="canary", instance="0", job="app-server"} 700
       http_requests{group="canary", instance="1", job="app-server"} 800`,
      true
    );
  });

  it('selects per group', async () => {
    expectInstant(
      await run('topk', 1, {}, ['group']),
      `http_requests{group="production", instance="1", job="app-server"} 600
       http_requests{group="canary", instance="1", job="app-server"} 800`
    );
    expectInstant(
      await run('bottomk', 2, {}, ['group']),
      `http_requests{group="canary", instance="0", job="api-server"} 300
       http_requests{group="canary", instance="1", job="api-server"} 400
       http_requests{group="production", instance="0", job="api-server"} 100
       http_requests{group="production", instance="1", job="api-server"} 200`
    );
    expectInstant(
      await run('bottomk', 2, { group: 'production' }, ['group']),
      `http_requests{group="production", instance="0", job="api-server"} 100
       http_requests{group="production", instance="1", job="api-server"} 200`,
      true
    );
  });

  it('sorts NaN away from the top and the bottom', async () => {
    const expected = (first: string, second: string): string =>
      `http_requests{job="api-server", instance="${first}", group="production"} ${first === '0' ? 100 : 200}
       http_requests{job="api-server", instance="${second}", group="production"} ${second === '0' ? 100 : 200}
       http_requests{job="api-server", instance="2", group="production"} NaN`;
    expectInstant(await run('topk', 3, { job: 'api-server', group: 'production' }), expected('1', '0'), true);
    expectInstant(await run('bottomk', 3, { job: 'api-server', group: 'production' }), expected('0', '1'), true);
    expectInstant(await run('topk', 9999999999, { job: 'api-server', group: 'production' }), expected('1', '0'), true);
  });

  it('takes k per step (bug #15971)', async () => {
    for (const op of ['topk', 'bottomk'] as const) {
      const c = testContext({ start: 0, end: 50 * M, step: 5 * M, stepsBatch: 4 });
      const foo = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3];
      const k = scalar(c, (t) => foo[t / (5 * M)]);
      expect(counts(await collect(kAggregate(c, op, k, requests(c))))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 3]);
    }
  });

  it('fails on a NaN parameter even without input', async () => {
    const c = at50();
    const empty = new ReplayOperator(c, [], [{ t: 50 * M, ids: [], values: [] }]);
    await expect(collect(kAggregate(c, 'topk', NaN, empty))).rejects.toThrow('Parameter value is NaN');
    const c2 = at50();
    await expect(collect(kAggregate(c2, 'limitk', NaN, new ReplayOperator(c2, [], [])))).rejects.toThrow(
      'Parameter value is NaN'
    );
    const c3 = at50();
    await expect(collect(kAggregate(c3, 'limit_ratio', NaN, new ReplayOperator(c3, [], [])))).rejects.toThrow(
      'Ratio value is NaN'
    );
  });
});

describe('k rules', () => {
  const c0 = (): QueryContext => testContext({ start: 0 });
  const child = (c: QueryContext): VectorOperator =>
    new ReplayOperator(
      c,
      [[{ name: 'a', value: '1' }], [{ name: 'a', value: '2' }]],
      [{ t: 0, ids: [0, 1], values: [1, 2] }]
    );

  it('reports too big or too small k like Go', async () => {
    let c = c0();
    await expect(collect(kAggregate(c, 'topk', 1e300, child(c)))).rejects.toThrow(
      /^Scalar value 1e\+300 overflows int64$/
    );
    c = c0();
    await expect(collect(kAggregate(c, 'bottomk', 9.3e18, child(c)))).rejects.toThrow(
      /^Scalar value 9\.3e\+18 overflows int64$/
    );
    // The largest float that still converts to an int64 is accepted.
    c = c0();
    expect((await collect(kAggregate(c, 'topk', 9223372036854774000, child(c)))).steps[0].ids).toEqual([1, 0]);
    // A k that is never >= 1 returns nothing before any check.
    c = c0();
    expect((await collect(kAggregate(c, 'limitk', -9.3e18, child(c)))).steps[0].ids).toEqual([]);
    // With some step's k >= 1, a huge negative k elsewhere underflows.
    c = testContext({ start: 0, end: 1, step: 1 });
    const k = scalar(c, (t) => (t === 0 ? 1 : -1e19));
    const twoSteps = new ReplayOperator(
      c,
      [[{ name: 'a', value: '1' }]],
      [0, 1].map((t) => ({ t, ids: [0], values: [1] }))
    );
    await expect(collect(kAggregate(c, 'topk', k, twoSteps))).rejects.toThrow(
      /^Scalar value -1e\+19 underflows int64$/
    );
  });

  it('truncates k and returns nothing below 1', async () => {
    let c = c0();
    expect((await collect(kAggregate(c, 'topk', 1.9, child(c)))).steps[0].ids).toEqual([1]);
    c = c0();
    expect((await collect(kAggregate(c, 'topk', 0.5, child(c)))).steps[0].ids).toEqual([]);
    c = c0();
    expect((await collect(kAggregate(c, 'limitk', -1, child(c)))).steps[0].ids).toEqual([]);
  });

  it('passes the child series through', async () => {
    const c = c0();
    const op = kAggregate(c, 'topk', 1, child(c));
    expect(await op.series()).toEqual([[{ name: 'a', value: '1' }], [{ name: 'a', value: '2' }]]);
    expect(op.describe()).toBe('topk');
    expect(kAggregate(c, 'limitk', 1, child(c), ['a']).describe()).toBe('limitk by (a)');
  });
});

describe('tie and NaN order, recorded from Prometheus', () => {
  const values = [1, 2, 1, NaN, 2, 1, 3, NaN, 2, 1, 2, 1, 3, 1, NaN, 2, 1, 2, 0, 1];
  const labels = values.map((_, i) => [
    { name: '__name__', value: 'x' },
    { name: 'i', value: String(i).padStart(2, '0') },
  ]);
  const run = async (op: KAggregateOp, k: number, grouping: string[] = []): Promise<string> => {
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(c, labels, [{ t: 0, ids: values.map((_, i) => i), values }]);
    const result = await collect(kAggregate(c, op, k, child, grouping));
    return result.steps[0].ids.map((id) => labelValue(result.series[id], 'i')).join(' ');
  };

  it.each([
    ['topk', 20, '12 06 15 10 04 08 17 01 11 19 00 13 16 02 05 09 18 14 03 07'],
    ['bottomk', 20, '18 09 19 16 00 02 13 05 11 10 08 15 04 01 17 06 12 03 07 14'],
    ['topk', 5, '06 12 01 04 08'],
    ['bottomk', 5, '18 09 00 02 05'],
    ['limitk', 5, '03 00 02 01 04'],
    ['limitk', 20, '14 03 07 18 09 05 02 16 00 19 10 11 12 06 13 15 01 17 08 04'],
  ] as const)('%s(%d, x)', async (op, k, expected) => {
    expect(await run(op, k)).toBe(expected);
  });

  it('orders groups by their first series', async () => {
    const grouped = labels.map((l) => [...l, { name: 'g', value: l[1].value[0] }]);
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(c, grouped, [{ t: 0, ids: values.map((_, i) => i), values }]);
    const result = await collect(kAggregate(c, 'topk', 3, child, ['g']));
    expect(result.steps[0].ids.map((id) => labelValue(result.series[id], 'i')).join(' ')).toBe('06 01 04 12 15 10');
  });

  it('limit_ratio keeps the series Prometheus keeps', async () => {
    const sorted = (s: string): string => s.split(' ').sort().join(' ');
    expect(sorted(await run('limit_ratio', 0.5))).toBe(sorted('03 09 14 00 16 18 08 06'));
    expect(sorted(await run('limit_ratio', -0.5))).toBe(sorted('07 05 11 19 02 13 04 17 10 12 01 15'));
  });
});

describe('tie and NaN order of large selections (pdqsort paths), recorded from Prometheus', () => {
  const values = Array.from({ length: 120 }, (_, i) => (i % 17 === 3 ? NaN : (i * 7) % 5));
  const labels = values.map((_, i) => [
    { name: '__name__', value: 'y' },
    { name: 'i', value: String(i).padStart(3, '0') },
  ]);
  it.each([
    [
      'topk',
      120,
      '062 117 057 112 027 107 052 012 102 002 097 047 092 022 087 042 082 077 072 017 067 032 007 089 059 119 044 094 004 084 009 099 019 039 079 049 074 114 024 104 034 069 064 109 014 029 081 076 006 116 101 051 096 086 061 111 031 041 011 001 091 036 021 056 046 026 066 106 016 118 083 043 038 053 073 093 058 018 078 033 068 063 113 023 013 008 108 103 048 028 098 040 085 055 025 050 060 000 010 070 015 035 110 065 100 030 005 115 045 095 090 075 080 105 003 071 037 088 054 020',
    ],
    [
      'bottomk',
      120,
      '045 005 065 015 030 070 115 035 075 060 055 110 080 040 085 010 000 090 025 095 050 100 043 038 048 023 063 118 093 058 103 068 033 028 098 013 053 073 008 083 113 108 018 078 106 056 026 096 001 081 041 011 076 036 086 021 051 116 031 016 111 091 061 046 101 006 066 059 119 114 014 109 064 104 049 099 094 089 004 079 009 084 019 039 024 074 029 069 044 034 007 097 027 117 112 052 047 102 077 092 022 087 082 017 032 072 042 062 057 012 067 002 107 088 020 054 037 071 105 003',
    ],
    [
      'topk',
      60,
      '102 077 057 097 027 092 052 012 072 002 047 067 022 042 087 117 107 082 112 062 017 032 007 079 089 094 059 114 049 029 014 024 119 069 034 009 039 104 084 109 019 099 064 004 044 074 101 041 076 066 046 006 091 051 021 086 056 096 011 026',
    ],
    ['bottomk', 13, '065 050 060 035 045 055 030 000 025 040 010 005 015'],
    [
      'limitk',
      70,
      '054 020 037 003 000 005 030 065 015 010 045 050 025 055 060 008 033 018 035 040 041 021 043 011 048 051 023 028 058 013 061 031 063 068 034 017 036 001 038 039 019 009 042 004 044 022 046 047 002 049 024 012 052 026 053 027 056 057 006 059 029 014 062 007 064 032 066 067 016 069',
    ],
  ] as const)('%s(%d, y)', async (op, k, expected) => {
    const c = testContext({ start: 0 });
    const child = new ReplayOperator(c, labels, [{ t: 0, ids: values.map((_, i) => i), values }]);
    const result = await collect(kAggregate(c, op, k, child));
    expect(result.steps[0].ids.map((id) => labelValue(result.series[id], 'i')).join(' ')).toBe(expected);
  });
});

describe('limitk and limit_ratio (limit.test)', () => {
  const data = load(
    5 * M,
    `
    http_requests{job="api-server", instance="0", group="production"}	0+10x10
    http_requests{job="api-server", instance="1", group="production"}	0+20x10
    http_requests{job="api-server", instance="0", group="canary"}		0+30x10
    http_requests{job="api-server", instance="1", group="canary"}		0+40x10
    http_requests{job="api-server", instance="2", group="canary"}		0+50x10
    http_requests{job="api-server", instance="3", group="canary"}		0+60x10
    foo 1+1x10
    bar 0 1 0 -1 0 1 0 -1 0 1 0`
  );
  const range = (): QueryContext => testContext({ start: 0, end: 50 * M, step: 5 * M, stepsBatch: 3 });
  const requests = (c: QueryContext): VectorOperator => select(c, data, matching('http_requests'));

  it('limitk by group', async () => {
    for (const [k, expected] of [
      [0, 0],
      [-1, 0],
      [1, 2],
      [2, 4],
      [100, 6],
    ]) {
      const c = testContext({ start: 50 * M });
      const result = await collect(kAggregate(c, 'limitk', k, requests(c), ['group']));
      expect(result.steps[0].ids.length).toBe(expected);
    }
  });

  it('limitk takes the first series of the input', async () => {
    const c = testContext({ start: 50 * M });
    const result = await collect(kAggregate(c, 'limitk', 2, requests(c)));
    expect(result.steps[0].ids.sort()).toEqual([0, 1]);
  });

  it('limitk with k per step (bug #15971)', async () => {
    const c = range();
    const k = scalar(c, (t) => 1 + t / (5 * M));
    expect(counts(await collect(kAggregate(c, 'limitk', k, requests(c))))).toEqual([1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6]);
  });

  it('ratio 0 selects nothing, ±1 everything', async () => {
    let c = range();
    expect(counts(await collect(kAggregate(c, 'limit_ratio', 0, requests(c))))).toEqual(new Array(11).fill(undefined));
    for (const r of [1, -1]) {
      c = range();
      expect(counts(await collect(kAggregate(c, 'limit_ratio', r, requests(c))))).toEqual(new Array(11).fill(6));
    }
    expect(c.annotations.warnings.size).toBe(0);
  });

  it('caps the ratio with a warning at the parameter position', async () => {
    for (const [r, text] of [
      [1.1, 'got 1.1, capping to 1'],
      [-1.1, 'got -1.1, capping to -1'],
    ] as const) {
      const c = range();
      const op = new KAggregateOperator(c, 'limit_ratio', requests(c), [], false, scalar(c, r), { start: 18, end: 21 });
      expect(counts(await collect(op))).toEqual(new Array(11).fill(6));
      expect([...c.annotations.warnings]).toEqual([
        `PromQL warning: ratio value should be between -1 and 1, ${text} (1:19)`,
      ]);
    }
  });

  it('r and -(1 - r) are complements', async () => {
    for (const r of [0.2, 0.5, 0.8, 3 / 17, 11 / 17]) {
      const c = range();
      const a = await collect(kAggregate(c, 'limit_ratio', r, requests(c)));
      const c2 = range();
      const b = await collect(kAggregate(c2, 'limit_ratio', -(1 - r), requests(c2)));
      a.steps.forEach((step, i) => {
        const both = [...step.ids, ...b.steps[i].ids].sort();
        expect(both).toEqual([0, 1, 2, 3, 4, 5]);
      });
    }
  });

  it('half~ish of the series for 0.5', async () => {
    const c = range();
    for (const n of counts(await collect(kAggregate(c, 'limit_ratio', 0.5, requests(c))))) {
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
  });

  it('takes the ratio per step (bug #15971)', async () => {
    const c = range();
    const bar = [0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0];
    const r = scalar(c, (t) => bar[t / (5 * M)]);
    expect(counts(await collect(kAggregate(c, 'limit_ratio', r, requests(c))))).toEqual([
      undefined,
      6,
      undefined,
      6,
      undefined,
      6,
      undefined,
      6,
      undefined,
      6,
      undefined,
    ]);
  });

  it('keeps every step and the batch boundaries', async () => {
    const c = range();
    const result = await collect(kAggregate(c, 'topk', 1, requests(c)));
    expect(result.batchSizes).toEqual([3, 3, 3, 2]);
    expect(result.steps.map((s) => s.t)).toEqual(stepTimes(c));
    // At 0 all values are 0 and the first series stays on top; later the largest wins.
    expect([...asMatrix(result).keys()]).toEqual([
      '{__name__="http_requests", group="canary", instance="0", job="api-server"}',
      '{__name__="http_requests", group="canary", instance="3", job="api-server"}',
    ]);
  });
});
