/**
 * Cases from Prometheus' promql/promqltest/testdata/operators.test. Selectors, aggregations and
 * functions are replaced by their values at the evaluation time, replayed by a test operator.
 */
import { QueryError } from '../../../src/engine/api';
import type { QueryContext } from '../../../src/engine/model/context';
import { testContext } from '../helpers/context';
import { parseLabels } from '../helpers/promqltest';
import { runRange } from '../helpers/replay';
import { bin, expectResult, neg, type Operand, S, V } from './operands';

const MIN = 60_000;
const at50m = (): QueryContext => testContext({ start: 50 * MIN });

/** http_requests_total at 50m (0+10x10 … 0+80x10 loaded every 5m). */
const HTTP_REQUESTS: Record<string, string> = {
  'http_requests_total{job="api-server", instance="0", group="production"}': '100',
  'http_requests_total{job="api-server", instance="1", group="production"}': '200',
  'http_requests_total{job="api-server", instance="0", group="canary"}': '300',
  'http_requests_total{job="api-server", instance="1", group="canary"}': '400',
  'http_requests_total{job="app-server", instance="0", group="production"}': '500',
  'http_requests_total{job="app-server", instance="1", group="production"}': '600',
  'http_requests_total{job="app-server", instance="0", group="canary"}': '700',
  'http_requests_total{job="app-server", instance="1", group="canary"}': '800',
};

function http(ctx: QueryContext, filter: Record<string, string> = {}): Operand {
  const selected = Object.entries(HTTP_REQUESTS).filter(([labels]) => {
    const ls = parseLabels(labels);
    return Object.entries(filter).every(([n, v]) => ls.some((l) => l.name === n && l.value === v));
  });
  return V(ctx, Object.fromEntries(selected));
}

const sumByJob = (ctx: QueryContext): Operand => V(ctx, { '{job="api-server"}': '1000', '{job="app-server"}': '2600' });
const countByJob = (ctx: QueryContext): Operand => V(ctx, { '{job="api-server"}': '4', '{job="app-server"}': '4' });

async function expectFailure(x: Operand, ctx: QueryContext, message?: string): Promise<void> {
  const failure = runRange(x.op, ctx);
  await expect(failure).rejects.toBeInstanceOf(QueryError);
  if (message !== undefined) {
    await expect(failure).rejects.toThrow(message);
    await failure.catch((e: Error) => expect(e.message).toBe(message));
  }
}

describe('arithmetic', () => {
  it('SUM(http_requests_total) BY (job) - COUNT(http_requests_total) BY (job)', async () => {
    const ctx = at50m();
    await expectResult(bin(ctx, sumByJob(ctx), '-', countByJob(ctx)).op, ctx, {
      '{job="api-server"}': '996',
      '{job="app-server"}': '2596',
    });
  });

  it('2 - SUM(http_requests_total) BY (job)', async () => {
    const ctx = at50m();
    await expectResult(bin(ctx, S(ctx, 2), '-', sumByJob(ctx)).op, ctx, {
      '{job="api-server"}': '-998',
      '{job="app-server"}': '-2598',
    });
  });

  it('-http_requests_total{…} drops the name', async () => {
    const ctx = at50m();
    const x = neg(ctx, http(ctx, { job: 'api-server', instance: '0', group: 'production' }));
    await expectResult(x.op, ctx, { '{job="api-server",instance="0",group="production"}': '-100' });
  });

  it('- - - SUM(...) and - - - 1', async () => {
    const ctx = at50m();
    await expectResult(neg(ctx, neg(ctx, neg(ctx, sumByJob(ctx)))).op, ctx, {
      '{job="api-server"}': '-1000',
      '{job="app-server"}': '-2600',
    });
    await expectResult(neg(ctx, neg(ctx, neg(ctx, S(ctx, 1)))).op, ctx, { '{}': '-1' });
  });

  it('-2^---1*3 and 2/-2^---1*3+2', async () => {
    const ctx = at50m();
    const minusHalf = (): Operand => neg(ctx, bin(ctx, S(ctx, 2), '^', neg(ctx, neg(ctx, neg(ctx, S(ctx, 1))))));
    await expectResult(bin(ctx, minusHalf(), '*', S(ctx, 3)).op, ctx, { '{}': '-1.5' });
    const x = bin(ctx, bin(ctx, bin(ctx, S(ctx, 2), '/', minusHalf()), '*', S(ctx, 3)), '+', S(ctx, 2));
    await expectResult(x.op, ctx, { '{}': '-10' });
  });

  it('-10^3 * - SUM(http_requests_total) BY (job) ^ -1', async () => {
    const ctx = at50m();
    const lhs = neg(ctx, bin(ctx, S(ctx, 10), '^', S(ctx, 3)));
    const rhs = neg(ctx, bin(ctx, sumByJob(ctx), '^', S(ctx, -1)));
    await expectResult(bin(ctx, lhs, '*', rhs).op, ctx, {
      '{job="api-server"}': '1',
      '{job="app-server"}': '0.38461538461538464',
    });
  });

  it('vector/scalar arithmetic', async () => {
    const ctx = at50m();
    const cases: [Operand, Record<string, string>][] = [
      [
        bin(ctx, S(ctx, 1000), '/', sumByJob(ctx)),
        { '{job="api-server"}': '1', '{job="app-server"}': '0.38461538461538464' },
      ],
      [bin(ctx, sumByJob(ctx), '-', S(ctx, 2)), { '{job="api-server"}': '998', '{job="app-server"}': '2598' }],
      [bin(ctx, sumByJob(ctx), '%', S(ctx, 3)), { '{job="api-server"}': '1', '{job="app-server"}': '2' }],
      [bin(ctx, sumByJob(ctx), '%', S(ctx, 0.3)), { '{job="api-server"}': '0.1', '{job="app-server"}': '0.2' }],
      [bin(ctx, sumByJob(ctx), '^', S(ctx, 2)), { '{job="api-server"}': '1000000', '{job="app-server"}': '6760000' }],
      [
        bin(ctx, sumByJob(ctx), '%', bin(ctx, S(ctx, 3), '^', S(ctx, 2))),
        { '{job="api-server"}': '1', '{job="app-server"}': '8' },
      ],
      [
        bin(ctx, sumByJob(ctx), '%', bin(ctx, S(ctx, 2), '^', bin(ctx, S(ctx, 3), '^', S(ctx, 2)))),
        { '{job="api-server"}': '488', '{job="app-server"}': '40' },
      ],
      [
        bin(
          ctx,
          sumByJob(ctx),
          '%',
          bin(ctx, S(ctx, 2), '^', bin(ctx, S(ctx, 3), '^', bin(ctx, S(ctx, 2), '^', S(ctx, 2))))
        ),
        { '{job="api-server"}': '1000', '{job="app-server"}': '2600' },
      ],
      [bin(ctx, countByJob(ctx), '^', countByJob(ctx)), { '{job="api-server"}': '256', '{job="app-server"}': '256' }],
      [bin(ctx, sumByJob(ctx), '/', S(ctx, 0)), { '{job="api-server"}': '+Inf', '{job="app-server"}': '+Inf' }],
      [bin(ctx, sumByJob(ctx), '+', sumByJob(ctx)), { '{job="api-server"}': '2000', '{job="app-server"}': '5200' }],
    ];
    for (const [x, want] of cases) {
      await expectResult(x.op, ctx, want);
    }
  });

  it('division and modulo by zero', async () => {
    const ctx = at50m();
    const canary = (): Operand => http(ctx, { group: 'canary', instance: '0', job: 'api-server' });
    const labels = '{group="canary", instance="0", job="api-server"}';
    await expectResult(bin(ctx, canary(), '/', S(ctx, 0)).op, ctx, { [labels]: '+Inf' });
    await expectResult(bin(ctx, bin(ctx, S(ctx, -1), '*', canary()), '/', S(ctx, 0)).op, ctx, { [labels]: '-Inf' });
    await expectResult(bin(ctx, bin(ctx, S(ctx, 0), '*', canary()), '/', S(ctx, 0)).op, ctx, { [labels]: 'NaN' });
    await expectResult(bin(ctx, bin(ctx, S(ctx, 0), '*', canary()), '%', S(ctx, 0)).op, ctx, { [labels]: 'NaN' });
  });

  it('http_requests_total{job="api-server", group="canary"} + rate(...) * 5 * 60', async () => {
    const ctx = at50m();
    // rate(http_requests_total{job="api-server"}[10m]) * 5 * 60 at 50m.
    const rate = V(ctx, {
      '{group="canary", instance="0", job="api-server"}': '30',
      '{group="canary", instance="1", job="api-server"}': '40',
      '{group="production", instance="0", job="api-server"}': '10',
      '{group="production", instance="1", job="api-server"}': '20',
    });
    await expectResult(bin(ctx, http(ctx, { job: 'api-server', group: 'canary' }), '+', rate).op, ctx, {
      '{group="canary", instance="0", job="api-server"}': '330',
      '{group="canary", instance="1", job="api-server"}': '440',
    });
  });

  it('binops drop the metric name (node_cpu + 2 …)', async () => {
    const ctx = testContext({ start: MIN });
    const nodeCpu = (): Operand =>
      V(ctx, {
        'node_cpu{instance="abc",job="node",mode="idle"}': '3',
        'node_cpu{instance="abc",job="node",mode="user"}': '1',
        'node_cpu{instance="def",job="node",mode="idle"}': '8',
        'node_cpu{instance="def",job="node",mode="user"}': '2',
      });
    const cases: [Operand, string[]][] = [
      [bin(ctx, nodeCpu(), '+', S(ctx, 2)), ['5', '3', '10', '4']],
      [bin(ctx, nodeCpu(), '-', S(ctx, 2)), ['1', '-1', '6', '0']],
      [bin(ctx, nodeCpu(), '/', S(ctx, 2)), ['1.5', '0.5', '4', '1']],
      [bin(ctx, nodeCpu(), '*', S(ctx, 2)), ['6', '2', '16', '4']],
      [bin(ctx, nodeCpu(), '^', S(ctx, 2)), ['9', '1', '64', '4']],
      [bin(ctx, nodeCpu(), '%', S(ctx, 2)), ['1', '1', '0', '0']],
    ];
    for (const [x, values] of cases) {
      await expectResult(x.op, ctx, {
        '{instance="abc",job="node",mode="idle"}': values[0],
        '{instance="abc",job="node",mode="user"}': values[1],
        '{instance="def",job="node",mode="idle"}': values[2],
        '{instance="def",job="node",mode="user"}': values[3],
      });
    }
  });

  it('on() and ignoring() with no labels', async () => {
    const ctx = testContext({ start: MIN });
    const random = (): Operand => V(ctx, { 'random{foo="bar"}': '2' });
    const metricA = (): Operand => V(ctx, { 'metricA{baz="meh"}': '3' });
    const metricB = (): Operand => V(ctx, { 'metricB{baz="meh"}': '4' });
    await expectResult(bin(ctx, random(), '+', metricA(), { on: [] }).op, ctx, { '{}': '5' });
    await expectResult(bin(ctx, metricA(), '+', metricB(), { ignoring: [] }).op, ctx, { '{baz="meh"}': '7' });
    await expectResult(bin(ctx, metricA(), '+', metricB()).op, ctx, { '{baz="meh"}': '7' });
  });

  it('atan2', async () => {
    const ctx = testContext({ start: MIN });
    const trigy = (): Operand => V(ctx, { 'trigy{}': '10' });
    await expectResult(bin(ctx, trigy(), 'atan2', V(ctx, { 'trigx{}': '20' })).op, ctx, { '{}': '0.4636476090008061' });
    await expectResult(bin(ctx, trigy(), 'atan2', V(ctx, { 'trigNaN{}': 'NaN' })).op, ctx, { '{}': 'NaN' });
    await expectResult(bin(ctx, S(ctx, 10), 'atan2', S(ctx, 20)).op, ctx, { '{}': '0.4636476090008061' });
    await expectResult(bin(ctx, S(ctx, 10), 'atan2', S(ctx, NaN)).op, ctx, { '{}': 'NaN' });
  });
});

describe('set operators', () => {
  const plusOne = (ctx: QueryContext): Operand => bin(ctx, http(ctx, { group: 'canary' }), '+', S(ctx, 1));
  const canaryInstance0PlusOne = {
    '{group="canary", instance="0", job="api-server"}': '301',
    '{group="canary", instance="0", job="app-server"}': '701',
  };

  it('and keeps the left-hand labels and values', async () => {
    const ctx = at50m();
    await expectResult(bin(ctx, http(ctx, { group: 'canary' }), 'and', http(ctx, { instance: '0' })).op, ctx, {
      'http_requests_total{group="canary", instance="0", job="api-server"}': '300',
      'http_requests_total{group="canary", instance="0", job="app-server"}': '700',
    });
    await expectResult(bin(ctx, plusOne(ctx), 'and', http(ctx, { instance: '0' })).op, ctx, canaryInstance0PlusOne);
  });

  it('and with on/ignoring', async () => {
    for (const mods of [
      { on: ['instance', 'job'] },
      { on: ['instance'] },
      { ignoring: ['group'] },
      { ignoring: ['group', 'job'] },
    ]) {
      const ctx = at50m();
      const rhs = http(ctx, { instance: '0', group: 'production' });
      await expectResult(bin(ctx, plusOne(ctx), 'and', rhs, mods).op, ctx, canaryInstance0PlusOne);
    }
  });

  it('or', async () => {
    const ctx = at50m();
    const all = Object.fromEntries(Object.entries(HTTP_REQUESTS).map(([l, v]) => [l, v]));
    await expectResult(bin(ctx, http(ctx, { group: 'canary' }), 'or', http(ctx, { group: 'production' })).op, ctx, all);
  });

  it('or drops right-hand samples on overlap', async () => {
    const ctx = at50m();
    await expectResult(bin(ctx, plusOne(ctx), 'or', http(ctx, { instance: '1' })).op, ctx, {
      '{group="canary", instance="0", job="api-server"}': '301',
      '{group="canary", instance="0", job="app-server"}': '701',
      '{group="canary", instance="1", job="api-server"}': '401',
      '{group="canary", instance="1", job="app-server"}': '801',
      'http_requests_total{group="production", instance="1", job="api-server"}': '200',
      'http_requests_total{group="production", instance="1", job="app-server"}': '600',
    });
  });

  it('or on(instance) / ignoring(l, group, job) includes series without the instance label', async () => {
    for (const mods of [{ on: ['instance'] }, { ignoring: ['l', 'group', 'job'] }]) {
      const ctx = at50m();
      // (http_requests_total or cpu_count or vector_matching_a)
      const rhs = V(ctx, {
        ...HTTP_REQUESTS,
        'vector_matching_a{l="x"}': '10',
        'vector_matching_a{l="y"}': '20',
      });
      await expectResult(bin(ctx, plusOne(ctx), 'or', rhs, mods).op, ctx, {
        '{group="canary", instance="0", job="api-server"}': '301',
        '{group="canary", instance="0", job="app-server"}': '701',
        '{group="canary", instance="1", job="api-server"}': '401',
        '{group="canary", instance="1", job="app-server"}': '801',
        'vector_matching_a{l="x"}': '10',
        'vector_matching_a{l="y"}': '20',
      });
    }
  });

  it('unless', async () => {
    const instance1 = {
      'http_requests_total{group="canary", instance="1", job="api-server"}': '400',
      'http_requests_total{group="canary", instance="1", job="app-server"}': '800',
    };
    const cases: [Parameters<typeof bin>[4], Record<string, string>][] = [
      [{}, instance1],
      [{ on: ['job'] }, {}],
      [{ on: ['job', 'instance'] }, instance1],
      [{ ignoring: ['group', 'instance'] }, {}],
      [{ ignoring: ['group'] }, instance1],
    ];
    for (const [mods, want] of cases) {
      const ctx = at50m();
      await expectResult(
        bin(ctx, http(ctx, { group: 'canary' }), 'unless', http(ctx, { instance: '0' }), mods).op,
        ctx,
        want
      );
    }
  });

  it('http_requests_total AND ON (dummy) vector(1) / AND IGNORING (group, instance, job) vector(1)', async () => {
    for (const mods of [{ on: ['dummy'] }, { ignoring: ['group', 'instance', 'job'] }]) {
      const ctx = at50m();
      await expectResult(bin(ctx, http(ctx), 'and', V(ctx, { '{}': '1' }), mods).op, ctx, HTTP_REQUESTS);
    }
  });

  it('(testhistogram_bucket) and on() (vector(1) == 1), and with an empty right side', async () => {
    const ctx = testContext({ start: 0, end: 10 * MIN, step: 5 * MIN });
    const buckets = (): Operand =>
      V(ctx, {
        'testhistogram_bucket{le="0.1", id="1"}': '0 5 10',
        'testhistogram_bucket{le="+Inf", id="2"}': '0 11 22',
      });
    const one = bin(ctx, V(ctx, { '{}': '1 1 1' }), '==', S(ctx, 1));
    await expectResult(bin(ctx, buckets(), 'and', one, { on: [] }).op, ctx, {
      'testhistogram_bucket{le="0.1", id="1"}': '0 5 10',
      'testhistogram_bucket{le="+Inf", id="2"}': '0 11 22',
    });
    const none = bin(ctx, V(ctx, { '{}': '-1 -1 -1' }), '==', S(ctx, 1));
    await expectResult(bin(ctx, buckets(), 'and', none, { on: [] }).op, ctx, {});
  });
});

describe('vector matching', () => {
  it('/ on(instance,job) and / ignoring(group) keep the matching labels', async () => {
    for (const mods of [{ on: ['instance', 'job'] }, { ignoring: ['group'] }]) {
      const ctx = at50m();
      await expectResult(
        bin(ctx, http(ctx, { group: 'canary' }), '/', http(ctx, { group: 'production' }), mods).op,
        ctx,
        {
          '{instance="0", job="api-server"}': '3',
          '{instance="0", job="app-server"}': '1.4',
          '{instance="1", job="api-server"}': '2',
          '{instance="1", job="app-server"}': '1.3333333333333333',
        }
      );
    }
  });

  const nodeVar = (ctx: QueryContext): Operand => V(ctx, { 'node_var{instance="abc",job="node"}': '2' });
  const nodeRole = (ctx: QueryContext): Operand =>
    V(ctx, { 'node_role{instance="abc",job="node",role="prometheus"}': '1' });
  const nodeCpu = (ctx: QueryContext): Operand =>
    V(ctx, {
      'node_cpu{instance="abc",job="node",mode="idle"}': '3',
      'node_cpu{instance="abc",job="node",mode="user"}': '1',
      'node_cpu{instance="def",job="node",mode="idle"}': '8',
      'node_cpu{instance="def",job="node",mode="user"}': '2',
    });

  it('copies the machine role with group_left / group_right', async () => {
    const want = { '{instance="abc",job="node",role="prometheus"}': '2' };
    let ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeRole(ctx), '*', nodeVar(ctx), { on: ['instance'], groupRight: ['role'] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeVar(ctx), '*', nodeRole(ctx), { on: ['instance'], groupLeft: ['role'] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeVar(ctx), '*', nodeRole(ctx), { ignoring: ['role'], groupLeft: ['role'] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeRole(ctx), '*', nodeVar(ctx), { ignoring: ['role'], groupRight: ['role'] }).op,
      ctx,
      want
    );
  });

  it('copies the role to instrumentation series', async () => {
    const want = {
      '{instance="abc",job="node",mode="idle",role="prometheus"}': '3',
      '{instance="abc",job="node",mode="user",role="prometheus"}': '1',
    };
    let ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '*', nodeRole(ctx), { ignoring: ['role', 'mode'], groupLeft: ['role'] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '*', nodeRole(ctx), { on: ['instance'], groupLeft: ['role'] }).op,
      ctx,
      want
    );
  });

  it('ratio of total', async () => {
    const want = {
      '{instance="abc",job="node",mode="idle"}': '.75',
      '{instance="abc",job="node",mode="user"}': '.25',
      '{instance="def",job="node",mode="idle"}': '.80',
      '{instance="def",job="node",mode="user"}': '.20',
    };
    const sumByInstanceJob = (ctx: QueryContext): Operand =>
      V(ctx, { '{instance="abc",job="node"}': '4', '{instance="def",job="node"}': '10' });
    let ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '/', sumByInstanceJob(ctx), { on: ['instance'], groupLeft: [] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '/', sumByInstanceJob(ctx), { ignoring: ['mode'], groupLeft: [] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '/', sumByInstanceJob(ctx), { ignoring: ['mode'], groupLeft: ['dummy'] }).op,
      ctx,
      want
    );
    ctx = testContext({ start: MIN });
    const sumByModeJob = V(ctx, { '{job="node",mode="idle"}': '11', '{job="node",mode="user"}': '3' });
    await expectResult(
      bin(ctx, sumByModeJob, '/', V(ctx, { '{job="node"}': '14' }), { on: ['job'], groupLeft: [] }).op,
      ctx,
      {
        '{job="node",mode="idle"}': '0.7857142857142857',
        '{job="node",mode="user"}': '0.21428571428571427',
      }
    );
  });

  it('copies a label from a metric with no matching labels: node_cpu + on(dummy) group_left(foo) random*0', async () => {
    const ctx = testContext({ start: MIN });
    const random = bin(ctx, V(ctx, { 'random{foo="bar"}': '1' }), '*', S(ctx, 0));
    await expectResult(bin(ctx, nodeCpu(ctx), '+', random, { on: ['dummy'], groupLeft: ['foo'] }).op, ctx, {
      '{instance="abc",job="node",mode="idle",foo="bar"}': '3',
      '{instance="abc",job="node",mode="user",foo="bar"}': '1',
      '{instance="def",job="node",mode="idle",foo="bar"}': '8',
      '{instance="def",job="node",mode="user",foo="bar"}': '2',
    });
  });

  it('threshold from a metric, copying the target (comparison keeps the name)', async () => {
    const ctx = testContext({ start: MIN });
    const threshold = (): Operand => V(ctx, { 'threshold{instance="abc",job="node",target="a@b.com"}': '0' });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '>', threshold(), { on: ['job', 'instance'], groupLeft: ['target'] }).op,
      ctx,
      {
        'node_cpu{instance="abc",job="node",mode="idle",target="a@b.com"}': '3',
        'node_cpu{instance="abc",job="node",mode="user",target="a@b.com"}': '1',
      }
    );
    // … and a default (1) where the threshold is missing.
    const defaults = bin(
      ctx,
      bin(ctx, V(ctx, { '{instance="abc",job="node"}': '4', '{instance="def",job="node"}': '10' }), '*', S(ctx, 0)),
      '+',
      S(ctx, 1)
    );
    const thresholdOrDefault = bin(ctx, threshold(), 'or', defaults, { on: ['job', 'instance'] });
    await expectResult(
      bin(ctx, nodeCpu(ctx), '>', thresholdOrDefault, { on: ['job', 'instance'], groupLeft: ['target'] }).op,
      ctx,
      {
        'node_cpu{instance="abc",job="node",mode="idle",target="a@b.com"}': '3',
        'node_cpu{instance="abc",job="node",mode="user",target="a@b.com"}': '1',
        'node_cpu{instance="def",job="node",mode="idle"}': '8',
        'node_cpu{instance="def",job="node",mode="user"}': '2',
      }
    );
  });
});

describe('comparisons', () => {
  it('vector/scalar filters keep the vector value and labels', async () => {
    const cases: [(ctx: QueryContext) => Operand, Record<string, string>][] = [
      [(ctx) => bin(ctx, sumByJob(ctx), '>', S(ctx, 1000)), { '{job="app-server"}': '2600' }],
      [(ctx) => bin(ctx, S(ctx, 1000), '<', sumByJob(ctx)), { '{job="app-server"}': '2600' }],
      [(ctx) => bin(ctx, sumByJob(ctx), '<=', S(ctx, 1000)), { '{job="api-server"}': '1000' }],
      [(ctx) => bin(ctx, sumByJob(ctx), '!=', S(ctx, 1000)), { '{job="app-server"}': '2600' }],
      [(ctx) => bin(ctx, sumByJob(ctx), '==', S(ctx, 1000)), { '{job="api-server"}': '1000' }],
      [
        (ctx) => bin(ctx, sumByJob(ctx), '==', S(ctx, 1000), { bool: true }),
        { '{job="api-server"}': '1', '{job="app-server"}': '0' },
      ],
      [
        (ctx) => bin(ctx, sumByJob(ctx), '==', sumByJob(ctx), { bool: true }),
        { '{job="api-server"}': '1', '{job="app-server"}': '1' },
      ],
      [
        (ctx) => bin(ctx, sumByJob(ctx), '!=', sumByJob(ctx), { bool: true }),
        { '{job="api-server"}': '0', '{job="app-server"}': '0' },
      ],
      [(ctx) => bin(ctx, S(ctx, 0), '==', S(ctx, 1), { bool: true }), { '{}': '0' }],
      [(ctx) => bin(ctx, S(ctx, 1), '==', S(ctx, 1), { bool: true }), { '{}': '1' }],
      [
        (ctx) =>
          bin(ctx, http(ctx, { job: 'api-server', instance: '0', group: 'production' }), '==', S(ctx, 100), {
            bool: true,
          }),
        { '{job="api-server", instance="0", group="production"}': '1' },
      ],
    ];
    for (const [build, want] of cases) {
      const ctx = at50m();
      await expectResult(build(ctx).op, ctx, want);
    }
  });

  it('vector/vector: bool drops the name, filtering keeps the left-hand series', async () => {
    const cases: [string, boolean, Record<string, string>][] = [
      ['>', true, { '{instance="localhost"}': '1' }],
      ['>', false, { 'test_total{instance="localhost"}': '50' }],
      ['<', true, { '{instance="localhost"}': '0' }],
      ['<', false, {}],
    ];
    for (const [op, bool, want] of cases) {
      const ctx = testContext({ start: MIN });
      const x = bin(
        ctx,
        V(ctx, { 'test_total{instance="localhost"}': '50' }),
        op as '>' | '<',
        V(ctx, { 'test_smaller{instance="localhost"}': '10' }),
        { bool }
      );
      await expectResult(x.op, ctx, want);
    }
  });

  describe('floats over a range (0 to 60m step 6m)', () => {
    const range = (): QueryContext => testContext({ start: 0, end: 60 * MIN, step: 6 * MIN });
    // As the selectors see them: `_` and `stale` are absent and nothing lies within 5m of a gap.
    const left = (ctx: QueryContext): Operand => V(ctx, { left_floats: '1 2 _ _ 3 _ 4 5 NaN Inf -Inf' });
    const right = (ctx: QueryContext): Operand => V(ctx, { right_floats: '4 _ _ 5 3 7 -1 20 NaN Inf -Inf' });
    const vectorCases: [string, string, string][] = [
      ['==', 'left_floats _ _ _ _ 3 _ _ _ _ Inf -Inf', '{} 0 _ _ _ 1 _ 0 0 0 1 1'],
      ['!=', 'left_floats 1 _ _ _ _ _ 4 5 NaN _ _', '{} 1 _ _ _ 0 _ 1 1 1 0 0'],
      ['>', 'left_floats _ _ _ _ _ _ 4 _ _ _ _', '{} 0 _ _ _ 0 _ 1 0 0 0 0'],
      ['>=', 'left_floats _ _ _ _ 3 _ 4 _ _ Inf -Inf', '{} 0 _ _ _ 1 _ 1 0 0 1 1'],
      ['<', 'left_floats 1 _ _ _ _ _ _ 5 _ _ _', '{} 1 _ _ _ 0 _ 0 1 0 0 0'],
      ['<=', 'left_floats 1 _ _ _ 3 _ _ 5 _ Inf -Inf', '{} 1 _ _ _ 1 _ 0 1 0 1 1'],
    ];
    const split = (line: string): Record<string, string> => {
      const [labels, ...values] = line.split(' ');
      return { [labels]: values.join(' ') };
    };

    it.each(vectorCases)('left_floats %s right_floats (and bool)', async (op, filtered, bool) => {
      let ctx = range();
      await expectResult(bin(ctx, left(ctx), op as '==', right(ctx)).op, ctx, split(filtered));
      ctx = range();
      await expectResult(bin(ctx, left(ctx), op as '==', right(ctx), { bool: true }).op, ctx, split(bool));
    });

    it('left_floats == does_not_match', async () => {
      const ctx = range();
      await expectResult(bin(ctx, left(ctx), '==', V(ctx, {})).op, ctx, {});
    });

    const scalarCases: [string, number, boolean, string][] = [
      ['==', 3, false, 'left_floats _ _ _ _ 3 _ _ _ _ _ _'],
      ['!=', 3, false, 'left_floats 1 2 _ _ _ _ 4 5 NaN Inf -Inf'],
      ['>', 3, false, 'left_floats _ _ _ _ _ _ 4 5 _ Inf _'],
      ['>=', 3, false, 'left_floats _ _ _ _ 3 _ 4 5 _ Inf _'],
      ['<', 3, false, 'left_floats 1 2 _ _ _ _ _ _ _ _ -Inf'],
      ['<=', 3, false, 'left_floats 1 2 _ _ 3 _ _ _ _ _ -Inf'],
      ['==', 3, true, '{} 0 0 _ _ 1 _ 0 0 0 0 0'],
      ['==', Infinity, false, 'left_floats _ _ _ _ _ _ _ _ _ Inf _'],
      ['==', Infinity, true, '{} 0 0 _ _ 0 _ 0 0 0 1 0'],
      ['==', NaN, false, ''],
      ['==', NaN, true, '{} 0 0 _ _ 0 _ 0 0 0 0 0'],
    ];

    it.each(scalarCases)('left_floats %s %s (bool: %s)', async (op, value, bool, want) => {
      const ctx = range();
      await expectResult(bin(ctx, left(ctx), op as '==', S(ctx, value), { bool }).op, ctx, want ? split(want) : {});
    });

    const mirrored: Record<string, string> = { '==': '==', '!=': '!=', '>': '<', '>=': '<=', '<': '>', '<=': '>=' };
    it.each(scalarCases)('%s with the scalar %s on the left (bool: %s)', async (op, value, bool, want) => {
      const ctx = range();
      const x = bin(ctx, S(ctx, value), mirrored[op] as '==', left(ctx), { bool });
      await expectResult(x.op, ctx, want ? split(want) : {});
    });
  });
});

describe('matching errors', () => {
  it('many-to-one matching must be explicit, even when the comparison filters all but 0 or 1 series', async () => {
    for (const op of ['>', '>=', '<='] as const) {
      const ctx = testContext();
      const many = V(ctx, { 'many_side{label="foo",job="test"}': '0', 'many_side{label="bar",job="test"}': '1' });
      const x = bin(ctx, many, op, V(ctx, { 'one_side{job="test"}': '1' }), { on: ['job'] });
      await expectFailure(
        x,
        ctx,
        'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
      );
    }
  });

  it('reports the duplicate series on the right in a stable order', async () => {
    const ctx = testContext();
    const dup = V(ctx, { 'dup_metric{label="beta"}': '2', 'dup_metric{label="alpha"}': '1' });
    const x = bin(ctx, V(ctx, { 'scalar_metric{}': '3' }), '>', dup, { on: [] });
    await expectFailure(
      x,
      ctx,
      'found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="dup_metric", label="alpha"}, {__name__="dup_metric", label="beta"}];many-to-many matching not allowed: matching labels must be unique on one side'
    );
  });

  it('reports duplicates of the "one" side of group_right as the left hand-side', async () => {
    const ctx = testContext();
    const ones = V(ctx, { 'a{job="x", i="1"}': '1', 'a{job="x", i="2"}': '2' });
    const x = bin(ctx, ones, '*', V(ctx, { 'b{job="x", m="1"}': '1' }), { on: ['job'], groupRight: [] });
    await expectFailure(
      x,
      ctx,
      'found duplicate series for the match group {job="x"} on the left hand-side of the operation: [{__name__="a", i="1", job="x"}, {__name__="a", i="2", job="x"}];many-to-many matching not allowed: matching labels must be unique on one side'
    );
  });

  it('grouping labels must ensure unique matches', async () => {
    const ctx = testContext();
    // Both "many" series lose their only distinguishing label, the name.
    const many = V(ctx, { 'a{job="x"}': '1', 'b{job="x"}': '2' });
    const x = bin(ctx, many, '+', V(ctx, { 'c{job="x"}': '1' }), { on: ['job'], groupLeft: [] });
    await expectFailure(x, ctx, 'multiple matches for labels: grouping labels must ensure unique matches');
  });

  it('duplicates only count when both series have a sample at the step', async () => {
    const ctx = testContext({ start: 0, end: 2 * MIN, step: MIN, stepsBatch: 2 });
    const ones = V(ctx, { 'one{job="x", i="1"}': '10 _ _', 'one{job="x", i="2"}': '_ 20 _' });
    const many = V(ctx, { 'many{job="x", m="1"}': '1 1 1', 'many{job="x", m="2"}': '2 _ 2' });
    await expectResult(bin(ctx, many, '*', ones, { on: ['job'], groupLeft: ['i'] }).op, ctx, {
      '{job="x", m="1", i="1"}': '10 _ _',
      '{job="x", m="2", i="1"}': '20 _ _',
      '{job="x", m="1", i="2"}': '_ 20 _',
    });
  });

  it('a duplicate at a later step fails the query there', async () => {
    const ctx = testContext({ start: 0, end: 2 * MIN, step: MIN, stepsBatch: 1 });
    const rhs = V(ctx, { 'r{job="x", i="1"}': '1 1 1', 'r{job="x", i="2"}': '_ _ 2' });
    const x = bin(ctx, V(ctx, { 'l{job="x"}': '1 1 1' }), '+', rhs, { on: ['job'] });
    await expect(x.op.next()).resolves.toHaveLength(1);
    await expect(x.op.next()).resolves.toHaveLength(1);
    await expect(x.op.next()).rejects.toThrow('found duplicate series for the match group {job="x"} on the right');
  });

  it('no error when either side is empty at the step', async () => {
    const ctx = testContext();
    const dup = V(ctx, { 'dup{a="1"}': '1', 'dup{a="2"}': '1' });
    await expectResult(bin(ctx, V(ctx, { 'x{}': '_' }), '>', dup, { on: [] }).op, ctx, {});
  });
});

describe('collisions', () => {
  it('collision.test: count by (namespace, pod, cpu) (…) * on(namespace, pod) group_left(node) kube_pod_info', async () => {
    const ctx = testContext({ start: 4000 });
    const counts = V(ctx, {
      '{cpu="10",namespace="observability",pod="node-exporter-l454v"}': '1',
      '{cpu="35",namespace="observability",pod="node-exporter-l454v"}': '1',
      '{cpu="89",namespace="observability",pod="node-exporter-l454v"}': '1',
    });
    const info = V(ctx, {
      'node_namespace_pod:kube_pod_info:{namespace="observability",node="gke-search-infra-custom-96-253440-fli-d135b119-jx00",pod="node-exporter-l454v"}':
        '1',
    });
    const node = 'gke-search-infra-custom-96-253440-fli-d135b119-jx00';
    await expectResult(bin(ctx, counts, '*', info, { on: ['namespace', 'pod'], groupLeft: ['node'] }).op, ctx, {
      [`{cpu="10",namespace="observability",node="${node}",pod="node-exporter-l454v"}`]: '1',
      [`{cpu="35",namespace="observability",node="${node}",pod="node-exporter-l454v"}`]: '1',
      [`{cpu="89",namespace="observability",node="${node}",pod="node-exporter-l454v"}`]: '1',
    });
  });

  it('-{__name__=~"testmetric1|testmetric2"} fails', async () => {
    const ctx = testContext();
    const x = neg(ctx, V(ctx, { 'testmetric1{src="a",dst="b"}': '0', 'testmetric2{src="a",dst="b"}': '1' }));
    await expectFailure(x, ctx, 'vector cannot contain metrics with the same labelset');
  });

  it('{__name__=~"a|b"} + 1 fails the same way', async () => {
    const ctx = testContext();
    const x = bin(ctx, V(ctx, { 'a{src="a"}': '0', 'b{src="a"}': '1' }), '+', S(ctx, 1));
    await expectFailure(x, ctx, 'vector cannot contain metrics with the same labelset');
  });

  it('unary negation merges non-overlapping series with different names', async () => {
    const ctx = testContext({ start: 0, end: 20 * MIN, step: 20 * MIN });
    const x = neg(ctx, V(ctx, { 'http_requests{job="api"}': '2 _', 'http_errors{job="api"}': '_ 4' }));
    await expectResult(x.op, ctx, { '{job="api"}': '-2 -4' });
  });

  it('-metric_a or -metric_b', async () => {
    const ctx = testContext({ start: 0, end: 20 * MIN, step: 10 * MIN });
    const x = bin(ctx, neg(ctx, V(ctx, { metric_a: '1 _ _' })), 'or', neg(ctx, V(ctx, { metric_b: '3 4 _' })));
    await expectResult(x.op, ctx, { '{}': '-1 -4 _' });
  });
});
