/**
 * `or`: all left-hand samples, plus the right-hand samples whose signature has no left-hand sample
 * at the same step. The output series are the left-hand series followed by the right-hand ones.
 */
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable } from '../model/output-series';
import { type StepVector, StepVectorBuilder } from '../model/step-vector';
import type { PositionRange, VectorMatching } from '../parser/ast';
import { type BinaryPlan, BinaryStepOperator } from './binary-step-operator';
import { describeMatching } from './describe-matching';
import { matchOperands } from './match-signature';

interface Plan extends BinaryPlan {
  lhsSig: Int32Array;
  rhsSig: Int32Array;
  lhsOut: Int32Array;
  rhsOut: Int32Array;
  lhsStamp: Int32Array;
}

export class OrOperator extends BinaryStepOperator<Plan> {
  private stamp = 0;

  constructor(
    ctx: QueryContext,
    lhs: VectorOperator,
    rhs: VectorOperator,
    readonly matching: VectorMatching,
    readonly pos: PositionRange
  ) {
    super(ctx, lhs, rhs);
  }

  protected async buildPlan(): Promise<Plan> {
    const { lhsLabels, rhsLabels, lhsSig, rhsSig, signatures } = await matchOperands(this.lhs, this.rhs, this.matching);
    // Equal label sets on both sides (e.g. `-a or -b`) share one output series.
    const table = new OutputSeriesTable();
    const lhsOut = Int32Array.from(lhsLabels, (labels) => table.idOf(labels));
    const rhsOut = Int32Array.from(rhsLabels, (labels) => table.idOf(labels));
    return {
      labels: table.labels,
      lhsSig,
      rhsSig,
      lhsOut,
      rhsOut,
      lhsStamp: new Int32Array(signatures),
      unique: table.uniquenessCheck(),
    };
  }

  protected step(plan: Plan, l: StepVector, r: StepVector): StepVector {
    const stamp = ++this.stamp;
    const out = new StepVectorBuilder(l.ids.length + r.ids.length);
    for (let j = 0; j < l.ids.length; j++) {
      const id = l.ids[j];
      plan.lhsStamp[plan.lhsSig[id]] = stamp;
      out.push(plan.lhsOut[id], l.values[j]);
    }
    for (let j = 0; j < r.ids.length; j++) {
      const id = r.ids[j];
      if (plan.lhsStamp[plan.rhsSig[id]] !== stamp) out.push(plan.rhsOut[id], r.values[j]);
    }
    return out.finish(l.t);
  }

  describe(): string {
    return `[binary] or${describeMatching(this.matching)}`;
  }
}
