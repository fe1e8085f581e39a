import { isStaleMarker, type Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import { dropMetricName } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { StepBatchBuilder, type StepVector } from '../model/step-vector';
import type { VectorSelector } from '../parser/ast';
import { type Queryable, selectSeries, type SeriesPoints } from './series-source';
import { referenceSpan, referenceTime, StepCursor } from './step-times';

/**
 * An instant vector selector: at each step, the newest sample of each series in
 * (ref - lookbackDelta, ref], unless that sample is a stale marker. With `timestamps` the value is
 * the sample's timestamp in seconds (what `timestamp(selector)` returns).
 */
export class VectorSelectorOperator implements VectorOperator {
  private data: SeriesPoints[] | null = null;
  private cursors: Int32Array = new Int32Array(0);
  private readonly steps: StepCursor;

  constructor(
    private readonly ctx: QueryContext,
    private readonly queryable: Queryable,
    private readonly node: VectorSelector,
    private readonly timestamps = false
  ) {
    this.steps = new StepCursor(ctx);
  }

  private load(): SeriesPoints[] {
    if (this.data === null) {
      const span = referenceSpan(this.ctx, this.node.at, this.node.offset);
      this.data = selectSeries(this.queryable, this.node.matchers, span.min - this.ctx.lookbackDelta + 1, span.max);
      let n = 0;
      for (const s of this.data) n += s.timestamps.length;
      this.ctx.samples.take(n);
      this.ctx.stats.samplesScanned += n;
      this.cursors = new Int32Array(this.data.length).fill(-1);
    }
    return this.data;
  }

  series(): Promise<readonly Labels[]> {
    // timestamp() drops the metric name like every function that changes the value
    return Promise.resolve(this.load().map((s) => (this.timestamps ? dropMetricName(s.labels) : s.labels)));
  }

  next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const data = this.load();
    const times = this.steps.batch();
    if (times === null) {
      return Promise.resolve(null);
    }
    const out = new StepBatchBuilder(times, data.length);
    const refs = times.map((t) => referenceTime(t, this.node.at, this.node.offset));
    const { lookbackDelta } = this.ctx;
    // series-major: one series' points stay in cache for all steps of the batch
    for (let id = 0; id < data.length; id++) {
      const { timestamps: ts, values: vs } = data[id];
      let c = this.cursors[id];
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i];
        if (c >= 0 && ts[c] > ref) c = -1; // only a fixed @ time can go back (between queries)
        while (c + 1 < ts.length && ts[c + 1] <= ref) c++;
        if (c < 0 || ts[c] <= ref - lookbackDelta || isStaleMarker(vs[c])) {
          continue;
        }
        out.push(i, id, this.timestamps ? ts[c] / 1000 : vs[c]);
      }
      this.cursors[id] = c;
    }
    return Promise.resolve(out.finish());
  }

  describe(): string {
    return `[vectorSelector] ${this.node.name}${this.node.matchers.map((m) => ` ${m.name}${m.type}${JSON.stringify(m.value)}`).join('')}`;
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}
