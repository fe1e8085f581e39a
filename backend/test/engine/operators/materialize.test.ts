/**
 * materialize(): points gathered per label set, in time order; series at consecutive steps share the
 * query's step-time column, others (gaps, merged label sets out of order) keep their own timestamps.
 */
import { materialize } from '../../../src/engine/operators/materialize';
import { labels } from '../functions/helpers';
import { testContext } from '../helpers/context';
import { ReplayOperator, type PlainStep } from '../helpers/replay';

it('gathers dense, late-starting, gapped and merged series with the right timestamps', async () => {
  const ctx = testContext({ start: 1000, end: 1000 + 39 * 500, step: 500, stepsBatch: 4 });
  const series = [
    labels({ s: 'dense' }),
    labels({ s: 'late' }),
    labels({ s: 'gaps' }),
    labels({ s: 'merged' }),
    labels({ s: 'merged' }),
  ];
  const steps: PlainStep[] = Array.from({ length: 40 }, (_, k) => {
    const ids: number[] = [];
    const values: number[] = [];
    const add = (id: number, v: number): void => {
      ids.push(id);
      values.push(v);
    };
    add(0, k);
    if (k >= 7) add(1, -k);
    if (k % 5 !== 2) add(2, k / 3);
    // the second "merged" input has the earlier steps: its points reach the series after the first's
    add(k < 20 ? 4 : 3, k * 10);
    return { t: 1000 + k * 500, ids, values };
  });
  const out = await materialize(new ReplayOperator(ctx, series, steps), ctx);
  const by = new Map(out.map((s) => [s.labels[0].value, s]));
  const times = (ks: number[]): number[] => ks.map((k) => 1000 + k * 500);
  const all = Array.from({ length: 40 }, (_, k) => k);

  const dense = by.get('dense')!;
  expect(Array.from(dense.timestamps)).toEqual(times(all));
  expect(Array.from(dense.values)).toEqual(all);

  const late = by.get('late')!;
  expect(Array.from(late.timestamps)).toEqual(times(all.slice(7)));
  expect(Array.from(late.values)).toEqual(all.slice(7).map((k) => -k));
  // both are views of one step-time column
  expect(late.timestamps.buffer).toBe(dense.timestamps.buffer);

  const gapped = all.filter((k) => k % 5 !== 2);
  const gaps = by.get('gaps')!;
  expect(Array.from(gaps.timestamps)).toEqual(times(gapped));
  expect(Array.from(gaps.values)).toEqual(gapped.map((k) => k / 3));
  expect(gaps.timestamps.buffer).not.toBe(dense.timestamps.buffer);

  const merged = by.get('merged')!;
  expect(Array.from(merged.timestamps)).toEqual(times(all));
  expect(Array.from(merged.values)).toEqual(all.map((k) => k * 10));
  expect(out).toHaveLength(4);
});
