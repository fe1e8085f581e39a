import { labelsKey, type Label, type Labels } from '../../storage';
import { QueryError } from '../api';
import { badBucketLabelWarning, forcedMonotonicityInfo } from '../functions/annotations';
import { parseBucketBound, type Bucket, type MonotonicityFix } from '../functions/bucket-quantile';
import { formatGoFloat } from '../parser/go-format';
import { annotationsAt, checkAborted, type QueryContext } from '../model/context';
import { labelValue, METRIC_NAME, selectLabels, withLabel } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable } from '../model/output-series';
import { scalarValue, type StepVector } from '../model/step-vector';
import type { PositionRange } from '../parser/ast';

const BUCKET_LABEL = 'le';

/** One computed output of a histogram group at a step. */
export interface HistogramResult {
  value: number;
  fix?: MonotonicityFix;
}

/** The merged monotonicity fixes of one metric name (Prometheus merges these annotations). */
interface FixSummary {
  minT: number;
  maxT: number;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
  count: number;
}

/**
 * The classic-histogram functions (histogram_quantile, histogram_quantiles, histogram_fraction):
 * the child's bucket series are grouped by all labels except `le`; each group with buckets at a
 * step yields one value per variant, labelled without `le` and the metric name. Series whose `le` is
 * missing or malformed are ignored with a warning when they have a sample.
 *
 * The scalar parameters are read in full up front, because histogram_quantiles labels its output by
 * the φ values, and the output series must be known before the first step.
 */
export abstract class ClassicHistogramOperator implements VectorOperator {
  private initialized: Promise<void> | null = null;
  private outputLabels: Labels[] = [];
  /** Per child series: its group, or -1 for a series with an unusable `le`. */
  private seriesGroup = new Int32Array(0);
  private seriesBound: number[] = [];
  private badBucketMessages: (string | null)[] = [];
  private groupNames: string[] = [];
  /** outputIds[group][variant][index of the variant's label value at a step] */
  private outputIds: number[][][] = [];
  /** Per variant and step: the index into the variant's distinct label values. */
  private variantValueIndex: number[][] = [];
  /** The scalar parameters' values per step, in parameter order. */
  protected paramValues: number[][] = [];
  private stepIndex = 0;
  private readonly fixes = new Map<string, FixSummary>();
  protected readonly vectorAnnotations: { warn(m: string): void; info(m: string): void };

  protected constructor(
    protected readonly ctx: QueryContext,
    private readonly child: VectorOperator,
    private readonly params: readonly VectorOperator[],
    vectorPos: PositionRange
  ) {
    this.vectorAnnotations = annotationsAt(ctx, vectorPos);
  }

  /** How many outputs each group has per step (the φ values of histogram_quantiles). */
  protected abstract variantCount(): number;

  /** The label a variant adds at a step, or null; called once per variant and step before the first step. */
  protected variantLabel(variant: number, step: number): Label | null {
    void variant;
    void step;
    return null;
  }

  /** Emits the parameter warnings of a step (called at every step, with or without buckets). */
  protected abstract checkParams(step: number): void;

  /** The value of a group's buckets (reordered freely) for a variant at a step. */
  protected abstract evaluate(buckets: Bucket[], variant: number, step: number): HistogramResult;

  abstract describe(): string;

  children(): readonly VectorOperator[] {
    return [...this.params, this.child];
  }

  async series(): Promise<readonly Labels[]> {
    await this.init();
    return this.outputLabels;
  }

  private init(): Promise<void> {
    this.initialized ??= this.load();
    return this.initialized;
  }

  private async load(): Promise<void> {
    this.paramValues = await Promise.all(this.params.map((p) => drainScalar(p)));
    const input = await this.child.series();
    const groups = new Map<string, number>();
    const groupLabels: Labels[] = [];
    this.seriesGroup = new Int32Array(input.length);
    this.seriesBound = new Array<number>(input.length).fill(NaN);
    this.badBucketMessages = new Array<string | null>(input.length).fill(null);
    input.forEach((labels, id) => {
      const le = labelValue(labels, BUCKET_LABEL);
      const bound = parseBucketBound(le);
      if (bound === undefined) {
        this.seriesGroup[id] = -1;
        this.badBucketMessages[id] = badBucketLabelWarning(labelValue(labels, METRIC_NAME), le);
        return;
      }
      this.seriesBound[id] = bound;
      // The metric name is part of the group, as in Prometheus: two histograms that differ only in
      // their name collide after it is dropped.
      const key = labelsKey(selectLabels(labels, [BUCKET_LABEL], false));
      let g = groups.get(key);
      if (g === undefined) {
        g = groupLabels.length;
        groups.set(key, g);
        groupLabels.push(selectLabels(labels, [BUCKET_LABEL, METRIC_NAME], false));
        this.groupNames.push(labelValue(labels, METRIC_NAME));
      }
      this.seriesGroup[id] = g;
    });
    this.buildOutputs(groupLabels);
  }

  private buildOutputs(groupLabels: Labels[]): void {
    const steps = this.paramValues.length > 0 ? this.paramValues[0].length : 0;
    const variantValues: (Label | null)[][] = [];
    for (let v = 0; v < this.variantCount(); v++) {
      const distinct = new Map<string, number>();
      const values: (Label | null)[] = [];
      const perStep: number[] = [];
      for (let s = 0; s < Math.max(steps, 1); s++) {
        const label = this.variantLabel(v, s);
        const key = label === null ? '' : label.value;
        let i = distinct.get(key);
        if (i === undefined) {
          i = values.length;
          distinct.set(key, i);
          values.push(label);
        }
        perStep.push(i);
      }
      variantValues.push(values);
      this.variantValueIndex.push(perStep);
    }
    const outputs = new OutputSeriesTable();
    this.outputIds = groupLabels.map((labels) =>
      variantValues.map((values) =>
        values.map((label) => outputs.idOf(label === null ? labels : withLabel(labels, label.name, label.value)))
      )
    );
    this.outputLabels = outputs.labels;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    await this.init();
    const batch = await this.child.next();
    if (batch === null) {
      this.reportFixes();
      return null;
    }
    return batch.map((sv) => this.step(sv));
  }

  private step(sv: StepVector): StepVector {
    const step = this.stepIndex++;
    this.checkParams(step);
    const buckets = new Map<number, Bucket[]>();
    for (let i = 0; i < sv.ids.length; i++) {
      const id = sv.ids[i];
      const g = this.seriesGroup[id];
      if (g < 0) {
        this.vectorAnnotations.warn(this.badBucketMessages[id] ?? '');
        continue;
      }
      let list = buckets.get(g);
      if (list === undefined) {
        list = [];
        buckets.set(g, list);
      }
      list.push({ upperBound: this.seriesBound[id], count: sv.values[i] });
    }
    const results: { id: number; value: number }[] = [];
    const used = new Set<number>();
    for (const [g, list] of buckets) {
      for (let v = 0; v < this.variantCount(); v++) {
        const id =
          this.outputIds[g][v][this.variantValueIndex[v][Math.min(step, this.variantValueIndex[v].length - 1)]];
        if (used.has(id)) {
          throw new QueryError('execution', 'vector cannot contain metrics with the same labelset');
        }
        used.add(id);
        const { value, fix } = this.evaluate(list, v, step);
        if (fix?.forced) {
          this.recordFix(this.groupNames[g], sv.t, fix);
        }
        results.push({ id, value });
      }
    }
    results.sort((a, b) => a.id - b.id);
    return {
      t: sv.t,
      ids: Int32Array.from(results, (r) => r.id),
      values: Float64Array.from(results, (r) => r.value),
    };
  }

  private recordFix(metricName: string, t: number, fix: MonotonicityFix): void {
    const s = this.fixes.get(metricName);
    if (s === undefined) {
      this.fixes.set(metricName, {
        minT: t,
        maxT: t,
        minBucket: fix.minBucket,
        maxBucket: fix.maxBucket,
        maxDiff: fix.maxDiff,
        count: 1,
      });
      return;
    }
    s.minT = Math.min(s.minT, t);
    s.maxT = Math.max(s.maxT, t);
    s.minBucket = Math.min(s.minBucket, fix.minBucket);
    s.maxBucket = Math.max(s.maxBucket, fix.maxBucket);
    s.maxDiff = Math.max(s.maxDiff, fix.maxDiff);
    s.count++;
  }

  /** One info per metric name, merged over all steps and groups like Prometheus' annotation. */
  private reportFixes(): void {
    for (const [name, s] of this.fixes) {
      this.vectorAnnotations.info(
        `${forcedMonotonicityInfo(name)}, from buckets ${formatGoFloat(s.minBucket)} to ${formatGoFloat(s.maxBucket)}, ` +
          `with a max diff of ${formatGoFloat(s.maxDiff, 2)}, over ${s.count} samples ` +
          `from ${rfc3339(s.minT)} to ${rfc3339(s.maxT)}`
      );
    }
    this.fixes.clear();
  }
}

/** Go's time.Unix(ms/1000, 0).UTC().Format(time.RFC3339). */
function rfc3339(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** All values of a scalar operator, one per step. */
async function drainScalar(op: VectorOperator): Promise<number[]> {
  const values: number[] = [];
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    for (const sv of batch) {
      values.push(scalarValue(sv));
    }
  }
  return values;
}
