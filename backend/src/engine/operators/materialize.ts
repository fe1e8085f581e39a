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

/**
 * One series' points while they are gathered. While its points are at consecutive steps (as most
 * series' are) its timestamps are a view of the query's step times, shared by all such series: half
 * the bytes to write, and the JSON writer reads one column of timestamps that stays in cache.
 */
class PointColumns {
  /** The step index of the first point; -1 once the points are not at consecutive steps. */
  private firstStep = 0;
  private timestamps = EMPTY;
  private values = EMPTY;
  n = 0;

  constructor(
    readonly labels: Labels,
    private readonly slab: Slab,
    private readonly steps: StepTimes
  ) {}

  push(t: number, v: number, stepsLeft: number): void {
    if (this.n === this.values.length) this.grow(stepsLeft);
    if (this.firstStep >= 0) {
      const at = this.n === 0 ? this.steps.indexOf(t) : this.firstStep + this.n;
      if (at < 0 || this.steps.times[at] !== t) this.ownTimestamps();
      else if (this.n === 0) this.firstStep = at;
    }
    if (this.firstStep < 0) this.timestamps[this.n] = t;
    this.values[this.n] = v;
    this.n++;
  }

  /** ×4 up to the steps the query has left: a dense series moves a few times, a sparse one stays small. */
  private grow(stepsLeft: number): void {
    const cap = this.n + Math.max(1, Math.min(stepsLeft, Math.max(16, this.n * 3)));
    const vs = this.slab.take(cap);
    vs.set(this.values.subarray(0, this.n));
    this.values = vs;
    if (this.firstStep < 0) {
      const ts = this.slab.take(cap);
      ts.set(this.timestamps.subarray(0, this.n));
      this.timestamps = ts;
    }
  }

  /** From here on the timestamps are the series' own (a point off the step grid or out of order). */
  private ownTimestamps(): void {
    const ts = this.slab.take(this.values.length);
    if (this.n > 0) ts.set(this.steps.times.subarray(this.firstStep, this.firstStep + this.n));
    this.timestamps = ts;
    this.firstStep = -1;
  }

  done(): MaterializedSeries {
    const { firstStep, n } = this;
    return {
      labels: this.labels,
      timestamps: firstStep >= 0 ? this.steps.times.subarray(firstStep, firstStep + n) : this.timestamps.subarray(0, n),
      values: this.values.subarray(0, n),
    };
  }
}

/** Queries (subqueries) with more steps than this do not share a step-time column (8 bytes a step). */
const SHARED_STEP_TIMES_MAX = 1 << 20;

/** The step times of a query, start to end (none past SHARED_STEP_TIMES_MAX: every series keeps its own). */
class StepTimes {
  readonly times: Float64Array;

  constructor(private readonly ctx: Pick<QueryContext, 'start' | 'end' | 'step'>) {
    const steps = Math.floor((ctx.end - ctx.start) / ctx.step) + 1;
    const n = steps <= SHARED_STEP_TIMES_MAX ? steps : 0;
    this.times = new Float64Array(n);
    for (let i = 0, t = ctx.start; i < n; i++, t += ctx.step) this.times[i] = t;
  }

  /** The index of step time t, or -1 when t is not one of them. */
  indexOf(t: number): number {
    const i = Math.round((t - this.ctx.start) / this.ctx.step);
    return i >= 0 && i < this.times.length && this.times[i] === t ? i : -1;
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
  ctx: Pick<QueryContext, 'samples' | 'start' | 'end' | 'step'>
): Promise<MaterializedSeries[]> {
  const labels = await op.series();
  const byKey = new Map<string, PointColumns>();
  const slab = new Slab();
  const steps = new StepTimes(ctx);
  const target = labels.map((l) => {
    const key = labelsKey(l);
    let s = byKey.get(key);
    if (s === undefined) {
      s = new PointColumns(l, slab, steps);
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
