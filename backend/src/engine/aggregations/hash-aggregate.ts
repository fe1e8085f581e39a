/**
 * sum, avg, count, min, max, stddev, stdvar, group and quantile with by/without, computed exactly as
 * Prometheus' evaluator.aggregation does for float samples: the same summation (Kahan-Neumaier), the
 * same switch of avg to an incremental mean when the sum would overflow, Welford for the variance,
 * NaN as the lowest-priority value of min/max. Samples are visited in the order of the child's step
 * vectors, which is Prometheus' order of the input series, because float results depend on it.
 */
import type { Labels } from '../../storage';
import { QueryError } from '../api';
import { invalidQuantileWarning } from '../functions/annotations';
import { kahanInc, type KahanPair } from '../functions/kahan';
import { quantile } from '../functions/quantile';
import { annotationsAt, checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';
import type { PositionRange } from '../parser/ast';
import { goSortNaNFirst } from './go-sort';
import { describeGrouping, groupSeries, type Grouping } from './grouping';
import { evaluateScalarParam, type ScalarParam } from './scalar-param';

export type HashAggregateOp = 'sum' | 'avg' | 'count' | 'min' | 'max' | 'stddev' | 'stdvar' | 'group' | 'quantile';

/** Running state of all groups at the current step, indexed by group id. */
class GroupState {
  readonly value: Float64Array;
  readonly mean: Float64Array;
  /** Compensation term of the Kahan summation (of the sum, or of the mean once incremental). */
  readonly compensation: Float64Array;
  readonly count: Float64Array;
  readonly incrementalMean: Uint8Array;
  readonly seen: Uint8Array;
  /** quantile only: the group's values at this step. */
  readonly samples: number[][];

  constructor(groups: number, withSamples: boolean) {
    this.value = new Float64Array(groups);
    this.mean = new Float64Array(groups);
    this.compensation = new Float64Array(groups);
    this.count = new Float64Array(groups);
    this.incrementalMean = new Uint8Array(groups);
    this.seen = new Uint8Array(groups);
    this.samples = withSamples ? Array.from({ length: groups }, () => []) : [];
  }
}

export class HashAggregateOperator implements VectorOperator {
  private grouping: Promise<Grouping> | null = null;
  private prepared: Promise<void> | null = null;
  private state: GroupState | null = null;
  private quantileParam: ScalarParam | null = null;
  private step = 0;
  private readonly kahan: KahanPair = { sum: 0, c: 0 };
  /** Groups that received a sample at the current step, in order of their first sample. */
  private readonly touched: number[] = [];

  /**
   * @param groupingLabels the labels of `by (...)` or `without (...)`.
   * @param param φ of quantile (a scalar operator); null for the other operations.
   * @param paramPos position of the parameter expression: Prometheus reports an invalid φ there.
   */
  constructor(
    private readonly ctx: QueryContext,
    private readonly op: HashAggregateOp,
    private readonly child: VectorOperator,
    private readonly groupingLabels: string[],
    private readonly without: boolean,
    private readonly param: VectorOperator | null,
    private readonly paramPos: PositionRange | null
  ) {
    if ((op === 'quantile') !== (param !== null)) {
      throw new QueryError('internal', `${op}: parameter ${param === null ? 'missing' : 'not expected'}`);
    }
  }

  async series(): Promise<readonly Labels[]> {
    return (await this.groups()).groups;
  }

  async next(): Promise<StepVector[] | null> {
    await this.prepare();
    const batch = await this.child.next();
    if (batch === null) {
      return null;
    }
    checkAborted(this.ctx.signal);
    const { groupOf } = await this.groups();
    return batch.map((vector) => {
      const q = this.quantileParam === null ? NaN : this.quantileParam.values[this.step];
      this.step++;
      return this.aggregateStep(vector, groupOf, q);
    });
  }

  describe(): string {
    return `${this.op}${describeGrouping(this.groupingLabels, this.without)}`;
  }

  children(): readonly VectorOperator[] {
    return this.param === null ? [this.child] : [this.param, this.child];
  }

  private groups(): Promise<Grouping> {
    this.grouping ??= this.child.series().then((series) => groupSeries(series, this.groupingLabels, this.without));
    return this.grouping;
  }

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      // Prometheus evaluates the parameter before the aggregated expression.
      if (this.param !== null) {
        this.quantileParam = await evaluateScalarParam(this.ctx, this.param);
        this.warnAboutQuantile(this.quantileParam);
      }
      const { groups } = await this.groups();
      this.state = new GroupState(groups.length, this.op === 'quantile');
    })();
    return this.prepared;
  }

  private warnAboutQuantile(param: ScalarParam): void {
    const annotations = annotationsAt(this.ctx, this.paramPos ?? { start: 0, end: 0 });
    const warn = (q: number): void => annotations.warn(invalidQuantileWarning(q));
    if (param.hasNaN) {
      warn(NaN);
    }
    if (param.max > 1) {
      warn(param.max);
    }
    if (param.min < 0) {
      warn(param.min);
    }
  }

  private aggregateStep(vector: StepVector, groupOf: Int32Array, q: number): StepVector {
    const state = this.state as GroupState;
    const touched = this.touched;
    touched.length = 0;
    let inGroupOrder = true;
    const { ids, values } = vector;
    for (let i = 0; i < ids.length; i++) {
      const g = groupOf[ids[i]];
      if (state.seen[g] === 0) {
        state.seen[g] = 1;
        if (touched.length > 0 && touched[touched.length - 1] > g) {
          inGroupOrder = false;
        }
        touched.push(g);
        this.startGroup(state, g, values[i]);
      } else {
        this.addSample(state, g, values[i]);
      }
    }
    if (!inGroupOrder) {
      touched.sort((a, b) => a - b);
    }
    const out: StepVector = {
      t: vector.t,
      ids: new Int32Array(touched.length),
      values: new Float64Array(touched.length),
    };
    for (let i = 0; i < touched.length; i++) {
      const g = touched[i];
      out.ids[i] = g;
      out.values[i] = this.result(state, g, q);
      state.seen[g] = 0;
    }
    return out;
  }

  private startGroup(state: GroupState, g: number, f: number): void {
    state.value[g] = f;
    state.mean[g] = f;
    state.compensation[g] = 0;
    state.count[g] = 1;
    state.incrementalMean[g] = 0;
    switch (this.op) {
      case 'stddev':
      case 'stdvar':
        state.value[g] = Number.isFinite(f) ? 0 : NaN;
        break;
      case 'group':
        state.value[g] = 1;
        break;
      case 'quantile':
        state.samples[g].length = 0;
        state.samples[g].push(f);
        break;
      default:
        break;
    }
  }

  private addSample(state: GroupState, g: number, f: number): void {
    switch (this.op) {
      case 'sum':
        kahanInc(f, state.value[g], state.compensation[g], this.kahan);
        state.value[g] = this.kahan.sum;
        state.compensation[g] = this.kahan.c;
        break;
      case 'avg':
        this.addToMean(state, g, f);
        break;
      case 'count':
        state.count[g]++;
        break;
      case 'max':
        if (state.value[g] < f || Number.isNaN(state.value[g])) {
          state.value[g] = f;
        }
        break;
      case 'min':
        if (state.value[g] > f || Number.isNaN(state.value[g])) {
          state.value[g] = f;
        }
        break;
      case 'stddev':
      case 'stdvar': {
        const count = ++state.count[g];
        const delta = f - state.mean[g];
        state.mean[g] += delta / count;
        state.value[g] += delta * (f - state.mean[g]);
        break;
      }
      case 'quantile':
        state.samples[g].push(f);
        break;
      case 'group':
        break;
    }
  }

  /**
   * The direct sum / count is usually the more accurate mean, but the sum can overflow where the
   * mean does not; from the first sample that would overflow it on, the mean is kept incrementally.
   */
  private addToMean(state: GroupState, g: number, f: number): void {
    const count = ++state.count[g];
    if (state.incrementalMean[g] === 0) {
      kahanInc(f, state.value[g], state.compensation[g], this.kahan);
      if (this.kahan.sum !== Infinity && this.kahan.sum !== -Infinity) {
        state.value[g] = this.kahan.sum;
        state.compensation[g] = this.kahan.c;
        return;
      }
      state.incrementalMean[g] = 1;
      state.mean[g] = state.value[g] / (count - 1);
      state.compensation[g] /= count - 1;
    }
    const q = (count - 1) / count;
    kahanInc(f / count, q * state.mean[g], q * state.compensation[g], this.kahan);
    state.mean[g] = this.kahan.sum;
    state.compensation[g] = this.kahan.c;
  }

  private result(state: GroupState, g: number, q: number): number {
    switch (this.op) {
      case 'sum':
        return state.value[g] + state.compensation[g];
      case 'avg':
        if (state.incrementalMean[g] === 1) {
          return state.mean[g] + state.compensation[g];
        }
        return state.value[g] / state.count[g] + state.compensation[g] / state.count[g];
      case 'count':
        return state.count[g];
      case 'stdvar':
        return state.value[g] / state.count[g];
      case 'stddev':
        return Math.sqrt(state.value[g] / state.count[g]);
      case 'quantile':
        return quantile(q, state.samples[g], goSortNaNFirst);
      default:
        return state.value[g];
    }
  }
}
