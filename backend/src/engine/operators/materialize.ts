import { type Labels, labelsKey } from '../../storage';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';

export interface MaterializedSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

/**
 * Hands out regions of large typed arrays. A range query's result lives until it is written out: as
 * JS arrays it sat in the young generation, where the scavenger copied hundreds of megabytes of it,
 * and a typed array per series (and per growth step) cost an allocation of its own each.
 */
class Slab {
  private buf = EMPTY;
  private used = 0;

  take(n: number): Float64Array {
    if (this.used + n > this.buf.length) {
      this.buf = new Float64Array(Math.max(n, SLAB_POINTS));
      this.used = 0;
    }
    const out = this.buf.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

const SLAB_POINTS = 1 << 18;

/** One series' points while they are gathered. */
class PointColumns {
  timestamps = EMPTY;
  values = EMPTY;
  n = 0;

  constructor(
    readonly labels: Labels,
    private readonly slab: Slab
  ) {}

  push(t: number, v: number, stepsLeft: number): void {
    if (this.n === this.timestamps.length) this.grow(stepsLeft);
    this.timestamps[this.n] = t;
    this.values[this.n] = v;
    this.n++;
  }

  /** ×4 up to the steps the query has left: a dense series moves a few times, a sparse one stays small. */
  private grow(stepsLeft: number): void {
    const cap = this.n + Math.max(1, Math.min(stepsLeft, Math.max(16, this.n * 3)));
    const ts = this.slab.take(cap);
    const vs = this.slab.take(cap);
    ts.set(this.timestamps.subarray(0, this.n));
    vs.set(this.values.subarray(0, this.n));
    this.timestamps = ts;
    this.values = vs;
  }

  done(): MaterializedSeries {
    return {
      labels: this.labels,
      timestamps: this.timestamps.subarray(0, this.n),
      values: this.values.subarray(0, this.n),
    };
  }
}

const EMPTY: Float64Array = new Float64Array(0);

/**
 * Runs an operator to the end and gathers its output per label set: operators may list one label
 * set under several ids (e.g. after dropping metric names) as long as no step has two of them, so
 * their points are merged here, as Prometheus merges them. Series without any point are left out.
 * Every gathered point counts against the query's sample budget until the caller gives it back.
 */
export async function materialize(
  op: VectorOperator,
  ctx: Pick<QueryContext, 'samples' | 'end' | 'step'>
): Promise<MaterializedSeries[]> {
  const labels = await op.series();
  const byKey = new Map<string, PointColumns>();
  const slab = new Slab();
  const target = labels.map((l) => {
    const key = labelsKey(l);
    let s = byKey.get(key);
    if (s === undefined) {
      s = new PointColumns(l, slab);
      byKey.set(key, s);
    }
    return s;
  });
  const merged = byKey.size < labels.length;
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    let n = 0;
    if (sameSeries(batch)) {
      // series by series: each series' columns are touched once per batch, not once per step
      const ids = batch[0].ids;
      const stepsLeft = Math.floor((ctx.end - batch[0].t) / ctx.step) + 1;
      for (let i = 0; i < ids.length; i++) {
        const s = target[ids[i]];
        for (let k = 0; k < batch.length; k++) s.push(batch[k].t, batch[k].values[i], stepsLeft - k);
      }
      n = ids.length * batch.length;
    } else {
      for (const sv of batch) {
        const stepsLeft = Math.floor((ctx.end - sv.t) / ctx.step) + 1;
        for (let i = 0; i < sv.ids.length; i++) target[sv.ids[i]].push(sv.t, sv.values[i], stepsLeft);
        n += sv.ids.length;
      }
    }
    ctx.samples.take(n);
  }
  const out = [...byKey.values()].filter((s) => s.n > 0).map((s) => s.done());
  if (merged) {
    for (const s of out) sortPoints(s);
  }
  return out;
}

/** Whether every step vector of the batch has the same series in the same order (the common case). */
function sameSeries(batch: readonly StepVector[]): boolean {
  const first = batch[0].ids;
  for (let k = 1; k < batch.length; k++) {
    const ids = batch[k].ids;
    if (ids === first) continue;
    if (ids.length !== first.length) return false;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== first[i]) return false;
  }
  return batch.length > 0;
}

function sortPoints(s: MaterializedSeries): void {
  for (let i = 1; i < s.timestamps.length; i++) {
    if (s.timestamps[i - 1] > s.timestamps[i]) {
      const { timestamps, values } = s;
      const idx = Array.from(timestamps, (_, j) => j).sort((a, b) => timestamps[a] - timestamps[b]);
      s.timestamps = Float64Array.from(idx, (j) => timestamps[j]);
      s.values = Float64Array.from(idx, (j) => values[j]);
      return;
    }
  }
}
