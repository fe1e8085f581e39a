/**
 * The incremental (sliding) forms of sum/avg/max/min_over_time against the per-window computation
 * Prometheus does, over random series mixing scales, zeros, signed zeros, NaN and infinities, with
 * windows that grow, shrink, jump and stand still as a range query's windows do.
 */
import { mulberry32 } from '../../../src/datasource/random';
import { OVER_TIME_FUNCTIONS } from '../../../src/engine/functions/over-time';
import type { RangeFunctionCall, RangeWindow } from '../../../src/engine/functions/types';

function series(rand: () => number, n: number, regime: number): Float64Array {
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    switch (regime) {
      case 0: // a gauge
        vs[i] = 50 + 30 * Math.sin(i / 7) + rand();
        break;
      case 1: // integers and runs of zeros
        vs[i] = r < 0.4 ? 0 : Math.floor(r * 1000) - 300;
        break;
      case 2: // magnitudes from 1e-300 to 1e300, both signs, signed zeros
        vs[i] = r < 0.1 ? (r < 0.05 ? -0 : 0) : (rand() < 0.5 ? -1 : 1) * 10 ** Math.floor(rand() * 600 - 300);
        break;
      case 3: // spikes that cancel: x, then -x a few samples later
        vs[i] = r < 0.2 ? 1e16 * (rand() - 0.5) : r < 0.3 ? 0.1 : r < 0.4 ? -0.1 : rand();
        break;
      default: // NaN, ±Inf, huge values now and then
        vs[i] = r < 0.05 ? NaN : r < 0.08 ? Infinity : r < 0.1 ? -Infinity : r < 0.12 ? 1.5e308 : rand() * 10;
    }
  }
  return vs;
}

function sameValue(got: number | undefined, want: number | undefined, exact: boolean): boolean {
  if (got === undefined || want === undefined) return got === want;
  if (exact || want === 0 || !Number.isFinite(want))
    return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
  return Math.abs(got - want) <= 1e-12 * Math.abs(want);
}

describe.each([
  ['max_over_time', true],
  ['min_over_time', true],
  ['sum_over_time', false],
  ['avg_over_time', false],
])('%s, incremental', (name, exact) => {
  const fn = OVER_TIME_FUNCTIONS[name];

  it.each([0, 1, 2, 3, 4])('agrees with the per-window value (regime %d)', (regime) => {
    const rand = mulberry32(1000 * regime + name.length);
    for (let round = 0; round < 20; round++) {
      const n = 50 + Math.floor(rand() * 400);
      const vs = series(rand, n, regime);
      const ts = Float64Array.from({ length: n }, (_, i) => i * 1000);
      const state = (fn.sliding as NonNullable<typeof fn.sliding>)();
      const width = 1 + Math.floor(rand() * 60);
      let from = 0;
      let to = 0;
      while (from < n) {
        // windows move forward by a random amount, sometimes past their own end, sometimes not at all
        const move = rand() < 0.1 ? width + Math.floor(rand() * 20) : Math.floor(rand() * 4);
        to = Math.min(n, Math.max(to, from + move + Math.floor(rand() * width)));
        from = Math.min(to, from + move);
        const window: RangeWindow = { ts, vs, from, to, rangeStart: 0, rangeEnd: 0 };
        const call: RangeFunctionCall = {
          window,
          args: [],
          metricName: '',
          annotations: { warn: () => undefined, info: () => undefined },
        };
        const got = state.slide(window) ?? fn.compute(call);
        const want = fn.compute(call);
        if (!sameValue(got, want, exact)) {
          throw new Error(`${name} over [${from}, ${to}) of regime ${regime}: got ${got}, want ${want}`);
        }
        if (to === n && from === to) break;
        if (move === 0 && to === n) from++;
      }
    }
  });
});

it('falls back to the per-window value where a running sum would show rounding', () => {
  const state = (OVER_TIME_FUNCTIONS.sum_over_time.sliding as () => { slide(w: RangeWindow): number | undefined })();
  const vs = new Float64Array([0.1, 0.2, 0.3, -0.6, 0, 0, 5, Infinity, 1]);
  const ts = new Float64Array(vs.length);
  const slide = (from: number, to: number) => state.slide({ ts, vs, from, to, rangeStart: 0, rangeEnd: 0 });
  expect(slide(0, 3)).toBeCloseTo(0.6, 15);
  expect(slide(0, 4)).toBeUndefined(); // cancels to ~0
  expect(slide(4, 6)).toBeUndefined(); // only zeros
  expect(slide(5, 7)).toBe(5);
  expect(slide(6, 8)).toBeUndefined(); // an infinity inside
  expect(slide(8, 9)).toBe(1);
});
