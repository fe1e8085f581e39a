import type { Labels } from '../../storage';
import type { SlidingState } from '../functions/sliding';
import type { AnnotationSink, RangeFunction, RangeFunctionCall, RangeWindow } from '../functions/types';
import { annotationsAt, checkAborted, type QueryContext } from '../model/context';
import { dropMetricName, labelValue, METRIC_NAME } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { StepBatchBuilder, type StepVector } from '../model/step-vector';
import type { AtModifier, PositionRange } from '../parser/ast';
import { checkCounterName, extrapolatedRate } from '../functions/rate';
import { DuplicateLabelsCheck } from './duplicate-labels';
import type { PointSource } from './point-source';
import type { SeriesPoints } from './series-source';
import { referenceTime, StepCursor } from './step-times';
import { zipScalarArgs } from './scalar-args';

/**
 * Batches computed per pass over the series: the points of thousands of series do not stay in cache
 * from one batch to the next, so each pass fetches every series' points (and window state) once for
 * several batches. At most PASS_SAMPLES output samples (12 bytes each) are held per pass.
 */
const PASS_BATCHES = 16;
const PASS_SAMPLES = 1 << 20;

export interface RangeFunctionSpec {
  fn: RangeFunction;
  name: string;
  range: number;
  offset: number;
  at: AtModifier | null;
  /** The function's scalar arguments other than the range vector, in call order. */
  args: VectorOperator[];
  pos: PositionRange;
}

/**
 * A range-vector function (rate, *_over_time, …) applied to a matrix selector or a subquery: at each
 * step the window (ref - range, ref] of every series goes through the function. Window bounds move
 * forward only, so each point is visited a bounded number of times.
 */
export class RangeFunctionOperator implements VectorOperator {
  private data: SeriesPoints[] | null = null;
  private labels: Labels[] = [];
  private names: string[] = [];
  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  /** Per series, window.firstReset of its current window (functions with usesResets only). */
  private reset = new Int32Array(0);
  /** Per series, the function's incremental state (functions with a sliding form, windows moving forward). */
  private sliding: SlidingState[] | null = null;
  private duplicates: DuplicateLabelsCheck | null = null;
  private steps: StepCursor | null = null;
  private readonly annotations: AnnotationSink;
  /** A fixed @ time reads the same window at every step: nothing slides. */
  private readonly fixedAt: boolean;
  /** Computed batches of the current pass not yet handed out. */
  private pending: StepVector[] = [];

  constructor(
    private readonly ctx: QueryContext,
    private readonly source: PointSource,
    private readonly spec: RangeFunctionSpec
  ) {
    this.annotations = annotationsAt(ctx, spec.pos);
    this.fixedAt = spec.at !== null && spec.at.kind === 'time';
  }

  private async load(): Promise<SeriesPoints[]> {
    if (this.data === null) {
      this.data = await this.source.load();
      this.names = this.data.map((s) => labelValue(s.labels, METRIC_NAME));
      this.labels = this.data.map((s) => (this.spec.fn.dropsName ? dropMetricName(s.labels) : s.labels));
      this.duplicates = new DuplicateLabelsCheck(this.labels);
      this.lo = new Int32Array(this.data.length);
      this.hi = new Int32Array(this.data.length);
      this.reset = new Int32Array(this.data.length);
      const create = this.spec.fn.sliding;
      if (create !== undefined && !this.fixedAt) this.sliding = this.data.map(() => create());
    }
    return this.data;
  }

  async series(): Promise<readonly Labels[]> {
    await this.load();
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    if (this.pending.length === 0) {
      const computed = await this.pass();
      if (computed === null) return null;
      this.pending = computed;
    }
    return this.pending.splice(0, this.ctx.stepsBatch);
  }

  /** How many batches one pass computes; scalar arguments come one batch at a time, so with them one. */
  private batchesPerPass(series: number): number {
    if (this.spec.args.length > 0) return 1;
    return Math.max(1, Math.min(PASS_BATCHES, Math.floor(PASS_SAMPLES / Math.max(1, series * this.ctx.stepsBatch))));
  }

  private async pass(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const data = await this.load();
    this.steps ??= new StepCursor({ ...this.ctx, stepsBatch: this.ctx.stepsBatch * this.batchesPerPass(data.length) });
    const times = this.steps.batch();
    const args = await zipScalarArgs(this.spec.args, times);
    if (times === null) {
      return null;
    }
    const { range, offset, at, fn } = this.spec;
    const out = new StepBatchBuilder(times, data.length);
    const refs = times.map((t) => referenceTime(t, at, offset));
    const window: RangeWindow = { ts: [], vs: [], from: 0, to: 0, rangeStart: 0, rangeEnd: 0, firstReset: 0 };
    // one call object for every (series, step): this loop runs series × steps times
    const call: RangeFunctionCall = { window, t: 0, args: [], metricName: '', annotations: this.annotations };
    const fixedAt = this.fixedAt;
    const usesResets = fn.usesResets === true;
    // rate/increase/delta skip the call object: a direct, inlinable call for every series and step
    const extrapolation = fn.extrapolation;
    const sliding = this.sliding;
    const steps = times.length;
    // series-major: one series' points stay in cache for all steps of the batch
    for (let id = 0; id < data.length; id++) {
      const s = data[id];
      const ts = s.timestamps;
      const vs = s.values;
      const end = ts.length;
      let lo = this.lo[id];
      let hi = this.hi[id];
      let reset = this.reset[id];
      window.ts = ts;
      window.vs = vs;
      call.metricName = this.names[id];
      let counted = false;
      for (let i = 0; i < steps; i++) {
        const ref = refs[i];
        const rangeStart = ref - range;
        // a fixed @ time reads the same window at every step (and again in the next query)
        if (fixedAt && lo > 0 && ts[lo - 1] > rangeStart) lo = hi = reset = 0;
        while (lo < end && ts[lo] <= rangeStart) lo++;
        if (hi < lo) hi = lo;
        while (hi < end && ts[hi] <= ref) hi++;
        if (usesResets) {
          // the cursor moves forward only: each pair of the series is compared once per query
          if (reset <= lo) reset = lo + 1;
          while (reset < hi && !(vs[reset] < vs[reset - 1])) reset++;
          window.firstReset = reset;
        }
        if (extrapolation !== undefined) {
          const { isCounter, isRate } = extrapolation;
          const v = extrapolatedRate(ts, vs, lo, hi, reset, rangeStart, ref, isCounter, isRate);
          if (v !== undefined) {
            out.push(i, id, v);
            counted = isCounter;
          }
          continue;
        }
        window.from = lo;
        window.to = hi;
        window.rangeStart = rangeStart;
        window.rangeEnd = ref;
        call.t = times[i];
        call.args = args[i];
        let v = sliding !== null ? sliding[id].slide(window) : undefined;
        if (v === undefined) v = fn.compute(call);
        if (v !== undefined) out.push(i, id, v);
      }
      if (counted) checkCounterName(call.metricName, this.annotations);
      this.lo[id] = lo;
      this.hi[id] = hi;
      this.reset[id] = reset;
    }
    const batch = out.finish();
    for (const sv of batch) this.duplicates?.check(sv.ids);
    return batch;
  }

  describe(): string {
    return `[rangeFunction] ${this.spec.name}(${this.source.describe()})`;
  }

  children(): readonly VectorOperator[] {
    return this.spec.args;
  }
}
