/**
 * topk, bottomk, limitk and limit_ratio with by/without, as Prometheus' evaluator.aggregationK does
 * it for float samples. The output series are the child's series unchanged (metric name included);
 * each step emits the selected ids in Prometheus' instant-query order: groups in order of their
 * first series, and inside a group topk descending / bottomk ascending with NaN last, sorted the way
 * Go sorts the selection heap (see go-sort.ts) so that even ties come out in the same order.
 */
import type { Labels } from '../../storage';
import { QueryError } from '../api';
import { annotationsAt, checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import { emptyStepVector, type StepVector, StepVectorBuilder } from '../model/step-vector';
import type { PositionRange } from '../parser/ast';
import { formatGoFloat } from '../parser/go-format';
import { goSortReverse, heapFix, heapUp, type GoSortable } from './go-sort';
import { describeGrouping, groupSeries } from './grouping';
import { ratioKeeps, sampleOffset } from './ratio-sampler';
import { evaluateScalarParam, type ScalarParam } from './scalar-param';

export type KAggregateOp = 'topk' | 'bottomk' | 'limitk' | 'limit_ratio';

/** The largest float64 that converts to an int64 without overflow, and the smallest. */
const MAX_INT64_FLOAT = 9223372036854774784;
const MIN_INT64_FLOAT = -9223372036854775808;

/**
 * A group's selection: series ids ordered like Prometheus' heap of samples. `descending` is
 * bottomk's vectorByReverseValueHeap (largest on top), otherwise vectorByValueHeap; both treat NaN
 * as smaller than anything, which is what makes NaNs the first to be replaced.
 */
class SelectionHeap implements GoSortable {
  readonly ids: number[] = [];

  constructor(
    private readonly valueOf: Float64Array,
    private readonly descending: boolean
  ) {}

  less(i: number, j: number): boolean {
    const vi = this.valueOf[this.ids[i]];
    const vj = this.valueOf[this.ids[j]];
    return Number.isNaN(vi) || (this.descending ? vi > vj : vi < vj);
  }

  swap(i: number, j: number): void {
    const t = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = t;
  }

  push(id: number): void {
    this.ids.push(id);
    heapUp(this, this.ids.length - 1);
  }
}

interface Prepared {
  groupOf: Int32Array;
  heaps: SelectionHeap[];
  /** limit_ratio only: each series' sampling offset in [0, 1]. */
  offsets: Float64Array;
  param: ScalarParam;
  /** False when Prometheus returns nothing at all (every k < 1, or every ratio 0). */
  active: boolean;
}

export class KAggregateOperator implements VectorOperator {
  private prepared: Promise<Prepared> | null = null;
  private step = 0;
  /** The value of each series id at the current step. */
  private valueOf = new Float64Array(0);
  private seen = new Uint8Array(0);
  private readonly touched: number[] = [];

  /**
   * @param grouping the labels of `by (...)` or `without (...)`.
   * @param param k (topk, bottomk, limitk) or the ratio (limit_ratio), a scalar operator.
   * @param paramPos position of the parameter expression: Prometheus reports a capped ratio there.
   */
  constructor(
    private readonly ctx: QueryContext,
    private readonly op: KAggregateOp,
    private readonly child: VectorOperator,
    private readonly grouping: string[],
    private readonly without: boolean,
    private readonly param: VectorOperator,
    private readonly paramPos: PositionRange
  ) {}

  series(): Promise<readonly Labels[]> {
    return this.child.series();
  }

  async next(): Promise<StepVector[] | null> {
    const prepared = await this.prepare();
    const batch = await this.child.next();
    if (batch === null) {
      return null;
    }
    checkAborted(this.ctx.signal);
    return batch.map((vector) => {
      const param = prepared.param.values[this.step];
      this.step++;
      return prepared.active ? this.selectStep(vector, prepared, param) : emptyStepVector(vector.t);
    });
  }

  describe(): string {
    return `${this.op}${describeGrouping(this.grouping, this.without)}`;
  }

  children(): readonly VectorOperator[] {
    return [this.param, this.child];
  }

  private prepare(): Promise<Prepared> {
    this.prepared ??= (async () => {
      // Prometheus evaluates the parameter first and checks it over all steps before aggregating.
      const param = await evaluateScalarParam(this.ctx, this.param);
      const series = await this.child.series();
      const active = this.checkParam(param);
      const { groupOf, groups } = groupSeries(series, this.grouping, this.without);
      this.valueOf = new Float64Array(series.length);
      this.seen = new Uint8Array(groups.length);
      const heaps = groups.map(() => new SelectionHeap(this.valueOf, this.op === 'bottomk'));
      const offsets =
        this.op === 'limit_ratio' && active ? Float64Array.from(series, sampleOffset) : new Float64Array(0);
      return { groupOf, heaps, offsets, param, active };
    })();
    return this.prepared;
  }

  private checkParam(param: ScalarParam): boolean {
    if (this.op === 'limit_ratio') {
      if (param.max === 0 && param.min === 0) {
        return false;
      }
      if (param.hasNaN) {
        throw new QueryError('execution', 'Ratio value is NaN');
      }
      const annotations = annotationsAt(this.ctx, this.paramPos);
      const warn = (ratio: number, cap: number): void =>
        annotations.warn(
          `ratio value should be between -1 and 1, got ${formatGoFloat(ratio)}, capping to ${formatGoFloat(cap)}`
        );
      if (param.max > 1) {
        warn(param.max, 1);
      }
      if (param.min < -1) {
        warn(param.min, -1);
      }
      return true;
    }
    if (param.max < 1) {
      return false;
    }
    if (param.hasNaN) {
      throw new QueryError('execution', 'Parameter value is NaN');
    }
    if (param.min <= MIN_INT64_FLOAT) {
      throw new QueryError('execution', `Scalar value ${formatGoFloat(param.min)} underflows int64`);
    }
    if (param.max >= MAX_INT64_FLOAT) {
      throw new QueryError('execution', `Scalar value ${formatGoFloat(param.max)} overflows int64`);
    }
    return true;
  }

  private selectStep(vector: StepVector, prepared: Prepared, param: number): StepVector {
    let k = 0;
    let ratio = 0;
    if (this.op === 'limit_ratio') {
      if (param === 0) {
        return emptyStepVector(vector.t);
      }
      ratio = Math.min(1, Math.max(-1, param));
    } else {
      // Go's int64(k) truncates; k never exceeds the number of input series.
      k = Math.min(Math.trunc(param), prepared.groupOf.length);
      if (k < 1) {
        return emptyStepVector(vector.t);
      }
    }
    const { groupOf, heaps, offsets } = prepared;
    const { valueOf, seen, touched } = this;
    touched.length = 0;
    let inGroupOrder = true;
    for (let i = 0; i < vector.ids.length; i++) {
      const id = vector.ids[i];
      const f = vector.values[i];
      valueOf[id] = f;
      const g = groupOf[id];
      const heap = heaps[g];
      if (seen[g] === 0) {
        seen[g] = 1;
        if (touched.length > 0 && touched[touched.length - 1] > g) {
          inGroupOrder = false;
        }
        touched.push(g);
        heap.ids.length = 0;
        if (this.op !== 'limit_ratio' || ratioKeeps(ratio, offsets[id])) {
          heap.ids.push(id);
        }
        continue;
      }
      switch (this.op) {
        case 'topk':
        case 'bottomk': {
          if (heap.ids.length < k) {
            heap.push(id);
            break;
          }
          const top = valueOf[heap.ids[0]];
          const better = this.op === 'topk' ? top < f : top > f;
          if (better || (Number.isNaN(top) && !Number.isNaN(f))) {
            heap.ids[0] = id;
            if (k > 1) {
              heapFix(heap, 0, heap.ids.length);
            }
          }
          break;
        }
        case 'limitk':
          if (heap.ids.length < k) {
            heap.push(id);
          }
          break;
        case 'limit_ratio':
          if (ratioKeeps(ratio, offsets[id])) {
            heap.push(id);
          }
          break;
      }
    }
    if (!inGroupOrder) {
      touched.sort((a, b) => a - b);
    }
    const out = new StepVectorBuilder(vector.ids.length);
    for (const g of touched) {
      seen[g] = 0;
      const heap = heaps[g];
      if ((this.op === 'topk' || this.op === 'bottomk') && heap.ids.length > 1) {
        // The heap keeps the worst selected sample on top; Prometheus reverse-sorts it.
        goSortReverse(heap, heap.ids.length);
      }
      for (const id of heap.ids) out.push(id, valueOf[id]);
    }
    return out.finish(vector.t);
  }
}
