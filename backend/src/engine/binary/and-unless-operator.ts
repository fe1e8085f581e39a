/**
 * `and` and `unless`: the left-hand samples whose signature does (`and`) or does not (`unless`) have
 * a right-hand sample at the same step. Labels and values come from the left-hand side.
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
  /** Output id per left-hand series; -1 for an `and` series no right-hand series can ever match. */
  lhsOut: Int32Array;
  rhsStamp: Int32Array;
}

export class AndUnlessOperator extends BinaryStepOperator<Plan> {
  private stamp = 0;

  constructor(
    ctx: QueryContext,
    readonly op: 'and' | 'unless',
    lhs: VectorOperator,
    rhs: VectorOperator,
    readonly matching: VectorMatching,
    readonly pos: PositionRange
  ) {
    super(ctx, lhs, rhs);
  }

  protected async buildPlan(): Promise<Plan> {
    const { lhsLabels, lhsSig, rhsSig, signatures } = await matchOperands(this.lhs, this.rhs, this.matching);
    const onRight = new Uint8Array(signatures);
    for (const sig of rhsSig) {
      onRight[sig] = 1;
    }
    const table = new OutputSeriesTable();
    const lhsOut = Int32Array.from(lhsLabels, (labels, i) =>
      this.op === 'and' && onRight[lhsSig[i]] === 0 ? -1 : table.idOf(labels)
    );
    return {
      labels: table.labels,
      lhsSig,
      rhsSig,
      lhsOut,
      rhsStamp: new Int32Array(signatures),
      unique: table.uniquenessCheck(),
    };
  }

  protected step(plan: Plan, l: StepVector, r: StepVector): StepVector {
    const keepMatched = this.op === 'and';
    const stamp = ++this.stamp;
    for (let j = 0; j < r.ids.length; j++) {
      plan.rhsStamp[plan.rhsSig[r.ids[j]]] = stamp;
    }
    const out = new StepVectorBuilder(l.ids.length);
    for (let j = 0; j < l.ids.length; j++) {
      const id = l.ids[j];
      if ((plan.rhsStamp[plan.lhsSig[id]] === stamp) === keepMatched) out.push(plan.lhsOut[id], l.values[j]);
    }
    return out.finish(l.t);
  }

  describe(): string {
    return `[binary] ${this.op}${describeMatching(this.matching)}`;
  }
}
