/**
 * Binary operators with at least one scalar operand: scalar/scalar (a scalar result) and
 * vector/scalar or scalar/vector (Prometheus' VectorscalarBinop), where the result keeps the
 * vector's labels.
 */
import type { Labels } from '../../storage';
import { QueryError } from '../api';
import { checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';
import type { ArithmeticOp, ComparisonOp, PositionRange } from '../parser/ast';
import { arithmetic, isArithmeticOp } from './arithmetic';
import { compare } from './comparison';
import { dropMetadataLabels } from './match-signature';
import { OutputSeriesTable, type UniqueIdsCheck } from './output-series';
import { nextBatches, scalarValue } from './zip-batches';

const SCALAR_SERIES: readonly Labels[] = [[]];

interface Plan {
  labels: readonly Labels[];
  /** Output id per series of the vector operand (empty for scalar/scalar). */
  outIds: Int32Array;
  unique: UniqueIdsCheck | null;
}

export class ScalarBinaryOperator implements VectorOperator {
  private plan: Plan | null = null;

  constructor(
    private readonly ctx: QueryContext,
    readonly op: ArithmeticOp | ComparisonOp,
    private readonly lhs: VectorOperator,
    private readonly rhs: VectorOperator,
    readonly lhsIsScalar: boolean,
    readonly rhsIsScalar: boolean,
    readonly returnBool: boolean,
    readonly pos: PositionRange
  ) {
    if (!lhsIsScalar && !rhsIsScalar) {
      throw new QueryError('internal', 'ScalarBinaryOperator needs a scalar operand');
    }
  }

  async series(): Promise<readonly Labels[]> {
    return (await this.init()).labels;
  }

  private async init(): Promise<Plan> {
    if (this.plan !== null) {
      return this.plan;
    }
    if (this.lhsIsScalar && this.rhsIsScalar) {
      this.plan = { labels: SCALAR_SERIES, outIds: new Int32Array(0), unique: null };
      return this.plan;
    }
    const vector = await (this.lhsIsScalar ? this.rhs : this.lhs).series();
    const dropName = this.returnBool || isArithmeticOp(this.op);
    const table = new OutputSeriesTable();
    const outIds = Int32Array.from(vector, (labels) => table.idOf(dropName ? dropMetadataLabels(labels) : labels));
    this.plan = { labels: table.labels, outIds, unique: table.uniquenessCheck() };
    return this.plan;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const plan = await this.init();
    const batches = await nextBatches(this.lhs, this.rhs);
    if (batches === null) {
      return null;
    }
    const [lhsBatch, rhsBatch] = batches;
    return lhsBatch.map((l, i) => {
      const r = rhsBatch[i];
      if (this.lhsIsScalar && this.rhsIsScalar) {
        return { t: l.t, ids: [0], values: [this.scalarResult(scalarValue(l), scalarValue(r))] };
      }
      return this.lhsIsScalar ? this.vectorStep(plan, r, scalarValue(l)) : this.vectorStep(plan, l, scalarValue(r));
    });
  }

  /** Comparisons between scalars always carry `bool` (the parser insists), so they yield 0 or 1. */
  private scalarResult(l: number, r: number): number {
    return isArithmeticOp(this.op) ? arithmetic(this.op, l, r) : Number(compare(this.op as ComparisonOp, l, r));
  }

  private vectorStep(plan: Plan, vector: StepVector, scalar: number): StepVector {
    const out: StepVector = { t: vector.t, ids: [], values: [] };
    const arithmeticOp = isArithmeticOp(this.op) ? this.op : null;
    for (let j = 0; j < vector.ids.length; j++) {
      const v = vector.values[j];
      const l = this.lhsIsScalar ? scalar : v;
      const r = this.lhsIsScalar ? v : scalar;
      let value: number;
      if (arithmeticOp !== null) {
        value = arithmetic(arithmeticOp, l, r);
      } else {
        const keep = compare(this.op as ComparisonOp, l, r);
        if (!keep && !this.returnBool) {
          continue;
        }
        // A filtering comparison keeps the vector's value even when the scalar is on the left.
        value = this.returnBool ? Number(keep) : v;
      }
      out.ids.push(plan.outIds[vector.ids[j]]);
      out.values.push(value);
    }
    plan.unique?.check(out.ids);
    return out;
  }

  describe(): string {
    return `[binary] ${this.op}${this.returnBool ? ' bool' : ''} (${this.lhsIsScalar ? 'scalar' : 'vector'}, ${
      this.rhsIsScalar ? 'scalar' : 'vector'
    })`;
  }

  children(): readonly VectorOperator[] {
    return [this.lhs, this.rhs];
  }
}
