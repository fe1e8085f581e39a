/**
 * The range-function operator against one window at a time (evalRange): with passes of several
 * batches, the direct rate path and the sliding states, every step still gets exactly the value of its
 * own window, in batches of the context's size.
 */
import { RANGE_FUNCTIONS } from '../../../src/engine/functions/range-functions';
import { RangeFunctionOperator } from '../../../src/engine/operators/range-function';
import type { PointSource } from '../../../src/engine/operators/point-source';
import { mulberry32 } from '../../../src/datasource/random';
import { testContext } from '../helpers/context';
import { evalRange, labels, M, RecordingSink, S } from '../functions/helpers';
import type { Samples } from '../helpers/promqltest';
import { collect, scalar } from '../helpers/replay';

/** Counters with resets and gaps, 15 s apart with jitter, over 4 hours. */
function seriesData(count: number): Samples[] {
  const random = mulberry32(11);
  return Array.from({ length: count }, () => {
    const out: Samples = { ts: [], vs: [] };
    let v = 0;
    for (let t = 0; t < 240 * M; t += 15 * S) {
      if (random() < 0.05) continue;
      v = random() < 0.01 ? 0 : v + Math.floor(random() * 10);
      out.ts.push(t + Math.floor(random() * 1000));
      out.vs.push(v);
    }
    return out;
  });
}

const DATA = seriesData(5);

function source(): PointSource {
  return {
    load: () =>
      Promise.resolve(
        DATA.map((s, i) => ({
          labels: labels({ __name__: 'requests_total', i: String(i) }),
          timestamps: Float64Array.from(s.ts),
          values: Float64Array.from(s.vs),
        }))
      ),
    describe: () => '[test points]',
  };
}

it.each(['rate', 'increase', 'delta', 'max_over_time', 'avg_over_time', 'quantile_over_time'])(
  '%s over 400 steps: every step has its own window value, in batches of the context size',
  async (name) => {
    const ctx = testContext({ start: 5 * M, end: 5 * M + 399 * 30 * S, step: 30 * S, stepsBatch: 7 });
    const fn = RANGE_FUNCTIONS[name];
    const args = name === 'quantile_over_time' ? [scalar(ctx, 0.9)] : [];
    const op = new RangeFunctionOperator(ctx, source(), {
      fn,
      name,
      range: 5 * M,
      offset: 0,
      at: null,
      args,
      pos: { start: 0, end: 0 },
    });
    const { steps, batchSizes } = await collect(op);
    expect(batchSizes.slice(0, -1).every((n) => n === 7)).toBe(true);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(400);
    steps.forEach((sv, k) => {
      const t = 5 * M + k * 30 * S;
      expect(sv.t).toBe(t);
      const expected = DATA.map((s) =>
        evalRange(fn, s, t, 5 * M, { args: args.length > 0 ? [0.9] : [], sink: new RecordingSink() })
      );
      expect(sv.ids).toEqual(expected.flatMap((v, id) => (v === undefined ? [] : [id])));
      expect(sv.values).toEqual(expected.filter((v) => v !== undefined));
    });
  }
);
