/**
 * The vector selector over a real (scratch) store: every step gets the newest sample within the
 * lookback window, in batches of the context's size.
 */
import { VectorSelectorOperator } from '../../../src/engine/operators/vector-selector';
import { mulberry32 } from '../../../src/datasource/random';
import { openScratchStorage } from '../../../src/storage';
import { labels, M, S } from '../functions/helpers';
import { testContext } from '../helpers/context';
import { collect } from '../helpers/replay';

it('gives each of 600 steps the newest sample within the lookback, in batches of the context size', async () => {
  const random = mulberry32(5);
  const store = openScratchStorage();
  const data = Array.from({ length: 6 }, (_, i) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    // gaps longer than the lookback, so some steps have no sample
    for (let t = 0; t < 600 * M; t += 15 * S) {
      if (Math.floor(t / (40 * M)) % 4 === i % 4) continue;
      timestamps.push(t + Math.floor(random() * 1000));
      values.push(random());
    }
    return { labels: labels({ __name__: 'g', i: String(i) }), timestamps, values };
  });
  await store.append(data.map((s) => ({ ...s, values: Float64Array.from(s.values) })));
  const ctx = testContext({ start: 0, end: 599 * M, step: M, stepsBatch: 7 });
  const op = new VectorSelectorOperator(ctx, store, {
    type: 'VectorSelector',
    name: 'g',
    matchers: [{ name: '__name__', type: '=', value: 'g' }],
    offset: 0,
    at: null,
    pos: { start: 0, end: 1 },
  });
  const { steps, batchSizes } = await collect(op);
  expect(batchSizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  expect(steps.map((sv) => sv.t)).toEqual(Array.from({ length: 600 }, (_, k) => k * M));
  let withoutSample = 0;
  steps.forEach((sv) => {
    const expected = data.map((s) => {
      let j = -1;
      while (j + 1 < s.timestamps.length && s.timestamps[j + 1] <= sv.t) j++;
      return j >= 0 && s.timestamps[j] > sv.t - ctx.lookbackDelta ? s.values[j] : undefined;
    });
    withoutSample += expected.filter((v) => v === undefined).length;
    expect(sv.ids).toEqual(expected.flatMap((v, id) => (v === undefined ? [] : [id])));
    expect(sv.values).toEqual(expected.filter((v) => v !== undefined));
  });
  expect(withoutSample).toBeGreaterThan(600);
  await store.close();
});
