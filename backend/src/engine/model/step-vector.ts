/**
 * One evaluation step in columnar form: the ids (indexes into the producing operator's `series()`)
 * of the series that have a value at `t`, and their values. Series without a value are simply absent.
 * Both columns are exactly as long as the step has samples; operators may rewrite them in place.
 */
export interface StepVector {
  t: number;
  ids: Int32Array;
  values: Float64Array;
}

const NO_IDS = new Int32Array(0);
const NO_VALUES = new Float64Array(0);

/** A scalar operator's value at a step (scalars always have one sample; NaN guards a missing one). */
export function scalarValue(sv: Pick<StepVector, 'values'>): number {
  return sv.values.length > 0 ? sv.values[0] : NaN;
}

export function emptyStepVector(t: number): StepVector {
  return { t, ids: NO_IDS, values: NO_VALUES };
}

/** The step vector of a scalar (series 0) or of a single sample. */
export function singleSample(t: number, value: number, id = 0): StepVector {
  return { t, ids: Int32Array.of(id), values: Float64Array.of(value) };
}

/**
 * Builds one batch of step vectors. Each step has room for every series of the producing operator,
 * known before its first `next()`, so pushing never grows or copies; the whole batch is two typed
 * arrays, outside the JS heap, instead of two growing arrays per step that the scavenger would copy.
 */
export class StepBatchBuilder {
  private readonly ids: Int32Array;
  private readonly values: Float64Array;
  private readonly counts: Int32Array;

  constructor(
    private readonly times: readonly number[],
    private readonly capacity: number
  ) {
    this.ids = new Int32Array(times.length * capacity);
    this.values = new Float64Array(times.length * capacity);
    this.counts = new Int32Array(times.length);
  }

  /** Appends a sample to step `step` (an index into the batch's times). */
  push(step: number, id: number, value: number): void {
    const k = step * this.capacity + this.counts[step]++;
    this.ids[k] = id;
    this.values[k] = value;
  }

  finish(): StepVector[] {
    return this.times.map((t, i) => {
      const from = i * this.capacity;
      const to = from + this.counts[i];
      return { t, ids: this.ids.subarray(from, to), values: this.values.subarray(from, to) };
    });
  }
}

/**
 * Builds one step vector whose length is only bounded up front (set operations, binary matching,
 * topk): room for the bound, doubled should a push ever pass it; `finish()` hands out views of the
 * filled part.
 */
export class StepVectorBuilder {
  private ids: Int32Array;
  private values: Float64Array;
  private n = 0;

  constructor(initialCapacity: number) {
    this.ids = new Int32Array(Math.max(1, initialCapacity));
    this.values = new Float64Array(Math.max(1, initialCapacity));
  }

  push(id: number, value: number): void {
    if (this.n === this.ids.length) this.grow();
    this.ids[this.n] = id;
    this.values[this.n] = value;
    this.n++;
  }

  finish(t: number): StepVector {
    return this.n === 0
      ? emptyStepVector(t)
      : { t, ids: this.ids.subarray(0, this.n), values: this.values.subarray(0, this.n) };
  }

  private grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    const values = new Float64Array(this.values.length * 2);
    ids.set(this.ids);
    values.set(this.values);
    this.ids = ids;
    this.values = values;
  }
}
