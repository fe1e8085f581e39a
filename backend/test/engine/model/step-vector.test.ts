import {
  emptyStepVector,
  singleSample,
  StepBatchBuilder,
  StepVectorBuilder,
} from '../../../src/engine/model/step-vector';

describe('StepBatchBuilder', () => {
  it('keeps each step of the batch apart and exactly as long as its samples', () => {
    const b = new StepBatchBuilder([10, 20, 30], 3);
    b.push(0, 2, 1.5);
    b.push(2, 0, -0);
    b.push(0, 1, NaN);
    b.push(2, 1, Infinity);
    b.push(2, 2, 7);
    const [a, empty, c] = b.finish();
    expect([a.t, Array.from(a.ids), Array.from(a.values)]).toEqual([10, [2, 1], [1.5, NaN]]);
    expect([empty.t, empty.ids.length, empty.values.length]).toEqual([20, 0, 0]);
    expect([c.t, Array.from(c.ids), Array.from(c.values)]).toEqual([30, [0, 1, 2], [-0, Infinity, 7]]);
    expect(Object.is(c.values[0], -0)).toBe(true);
  });

  it('hands out views that a consumer may rewrite without touching the other steps', () => {
    const b = new StepBatchBuilder([1, 2], 2);
    b.push(0, 0, 1);
    b.push(0, 1, 2);
    b.push(1, 0, 3);
    b.push(1, 1, 4);
    const [first, second] = b.finish();
    first.values.fill(9);
    first.ids[1] = 0;
    expect(Array.from(second.ids)).toEqual([0, 1]);
    expect(Array.from(second.values)).toEqual([3, 4]);
  });
});

describe('StepVectorBuilder', () => {
  it('grows past its initial capacity without losing samples', () => {
    const b = new StepVectorBuilder(1);
    for (let i = 0; i < 100; i++) b.push(i, i / 2);
    const sv = b.finish(5);
    expect(sv.t).toBe(5);
    expect(Array.from(sv.ids)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(sv.values)).toEqual(Array.from({ length: 100 }, (_, i) => i / 2));
  });

  it('gives an empty step vector when nothing was pushed', () => {
    const sv = new StepVectorBuilder(0).finish(7);
    expect([sv.t, sv.ids.length, sv.values.length]).toEqual([7, 0, 0]);
  });
});

describe('single samples', () => {
  it('are series 0 unless told otherwise', () => {
    const s = singleSample(3, 4.5);
    expect([s.t, Array.from(s.ids), Array.from(s.values)]).toEqual([3, [0], [4.5]]);
    expect(Array.from(singleSample(3, 1, 6).ids)).toEqual([6]);
    expect(emptyStepVector(8)).toMatchObject({ t: 8 });
    expect(emptyStepVector(8).ids.length).toBe(0);
  });
});
