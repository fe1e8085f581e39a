import type { Labels } from '../../storage';
import type { AnnotationSink, RangeFunction, RangeFunctionCall, RangeWindow } from '../functions/types';
import { annotationsAt, checkAborted, type QueryContext } from '../model/context';
import { dropMetricName, labelValue, METRIC_NAME } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';
import type { AtModifier, PositionRange } from '../parser/ast';
import { DuplicateLabelsCheck } from './duplicate-labels';
import type { PointSource } from './point-source';
import type { SeriesPoints } from './series-source';
import { referenceTime, StepCursor } from './step-times';
import { zipScalarArgs } from './scalar-args';

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
  private duplicates: DuplicateLabelsCheck | null = null;
  private readonly steps: StepCursor;
  private readonly annotations: AnnotationSink;

  constructor(
    private readonly ctx: QueryContext,
    private readonly source: PointSource,
    private readonly spec: RangeFunctionSpec
  ) {
    this.steps = new StepCursor(ctx);
    this.annotations = annotationsAt(ctx, spec.pos);
  }

  private async load(): Promise<SeriesPoints[]> {
    if (this.data === null) {
      this.data = await this.source.load();
      this.names = this.data.map((s) => labelValue(s.labels, METRIC_NAME));
      this.labels = this.data.map((s) => (this.spec.fn.dropsName ? dropMetricName(s.labels) : s.labels));
      this.duplicates = new DuplicateLabelsCheck(this.labels);
      this.lo = new Int32Array(this.data.length);
      this.hi = new Int32Array(this.data.length);
    }
    return this.data;
  }

  async series(): Promise<readonly Labels[]> {
    await this.load();
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const data = await this.load();
    const times = this.steps.batch();
    const args = await zipScalarArgs(this.spec.args, times);
    if (times === null) {
      return null;
    }
    const { range, offset, at, fn } = this.spec;
    const out: StepVector[] = [];
    const window: RangeWindow = { ts: [], vs: [], from: 0, to: 0, rangeStart: 0, rangeEnd: 0 };
    // one call object for every (series, step): this loop runs series × steps times
    const call: RangeFunctionCall = { window, t: 0, args: [], metricName: '', annotations: this.annotations };
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      const ref = referenceTime(t, at, offset);
      const stepArgs = args[i];
      const ids: number[] = [];
      const values: number[] = [];
      for (let id = 0; id < data.length; id++) {
        const s = data[id];
        const ts = s.timestamps;
        let lo = this.lo[id];
        let hi = this.hi[id];
        if (lo > 0 && ts[lo - 1] > ref - range) lo = 0; // a fixed @ time never moves; reset is cheap
        while (lo < ts.length && ts[lo] <= ref - range) lo++;
        if (hi < lo) hi = lo;
        while (hi < ts.length && ts[hi] <= ref) hi++;
        this.lo[id] = lo;
        this.hi[id] = hi;
        window.ts = ts;
        window.vs = s.values;
        window.from = lo;
        window.to = hi;
        window.rangeStart = ref - range;
        window.rangeEnd = ref;
        call.t = t;
        call.args = stepArgs;
        call.metricName = this.names[id];
        const v = fn.compute(call);
        if (v !== undefined) {
          ids.push(id);
          values.push(v);
        }
      }
      this.duplicates?.check(ids);
      out.push({ t, ids, values });
    }
    return out;
  }

  describe(): string {
    return `[rangeFunction] ${this.spec.name}(${this.source.describe()})`;
  }

  children(): readonly VectorOperator[] {
    return this.spec.args;
  }
}
