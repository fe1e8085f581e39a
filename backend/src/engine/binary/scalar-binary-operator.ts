/**
 * Binary operators with at least one scalar operand: scalar/scalar (a scalar result) and
 * vector/scalar or scalar/vector (Prometheus' VectorscalarBinop), where the result keeps the
 * vector's labels.
 */
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import { dropMetadataLabels } from '../model/labels';
import { SCALAR_SERIES, type VectorOperator } from '../model/operator';
import { OutputSeriesTable } from '../model/output-series';
import { scalarValue, singleSample, type StepVector } from '../model/step-vector';
import type { ArithmeticOp, ComparisonOp, PositionRange } from '../parser/ast';
import { binaryValue, dropsMetricName } from './arithmetic';
import { type BinaryPlan, BinaryStepOperator } from './binary-step-operator';

interface Plan extends BinaryPlan {
  /** Output id per series of the vector operand (empty for scalar/scalar). */
  outIds: Int32Array;
}

export class ScalarBinaryOperator extends BinaryStepOperator<Plan> {
  constructor(
    ctx: QueryContext,
    readonly op: ArithmeticOp | ComparisonOp,
    lhs: VectorOperator,
    rhs: VectorOperator,
    readonly lhsIsScalar: boolean,
    readonly rhsIsScalar: boolean,
    readonly returnBool: boolean,
    readonly pos: PositionRange
  ) {
    super(ctx, lhs, rhs);
    if (!lhsIsScalar && !rhsIsScalar) {
      throw new QueryError('internal', 'ScalarBinaryOperator needs a scalar operand');
    }
  }

  protected async buildPlan(): Promise<Plan> {
    if (this.lhsIsScalar && this.rhsIsScalar) {
      return { labels: SCALAR_SERIES, outIds: new Int32Array(0), unique: null };
    }
    const vector = await (this.lhsIsScalar ? this.rhs : this.lhs).series();
    const dropName = dropsMetricName(this.op, this.returnBool);
    const table = new OutputSeriesTable();
    const outIds = Int32Array.from(vector, (labels) => table.idOf(dropName ? dropMetadataLabels(labels) : labels));
    return { labels: table.labels, outIds, unique: table.uniquenessCheck() };
  }

  protected step(plan: Plan, l: StepVector, r: StepVector): StepVector {
    if (this.lhsIsScalar && this.rhsIsScalar) {
      // Comparisons between scalars always carry `bool` (the parser insists), so they yield 0 or 1.
      const value = binaryValue(this.op, scalarValue(l), scalarValue(r), true, NaN) as number;
      return singleSample(l.t, value);
    }
    return this.lhsIsScalar ? this.vectorStep(plan, r, scalarValue(l)) : this.vectorStep(plan, l, scalarValue(r));
  }

  /** Rewrites the child's step vector in place (it is this operator's to change), dropping filtered samples. */
  private vectorStep(plan: Plan, vector: StepVector, scalar: number): StepVector {
    const { ids, values } = vector;
    let n = 0;
    for (let j = 0; j < ids.length; j++) {
      const v = values[j];
      // A filtering comparison keeps the vector's value even when the scalar is on the left.
      const value = this.lhsIsScalar
        ? binaryValue(this.op, scalar, v, this.returnBool, v)
        : binaryValue(this.op, v, scalar, this.returnBool, v);
      if (value !== undefined) {
        ids[n] = plan.outIds[ids[j]];
        values[n] = value;
        n++;
      }
    }
    return n === ids.length ? vector : { t: vector.t, ids: ids.subarray(0, n), values: values.subarray(0, n) };
  }

  describe(): string {
    return `[binary] ${this.op}${this.returnBool ? ' bool' : ''} (${this.lhsIsScalar ? 'scalar' : 'vector'}, ${
      this.rhsIsScalar ? 'scalar' : 'vector'
    })`;
  }
}
