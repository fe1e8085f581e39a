/**
 * `or`: all left-hand samples, plus the right-hand samples whose signature has no left-hand sample
 * at the same step. The output series are the left-hand series followed by the right-hand ones.
 */
import type { Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';
import type { PositionRange, VectorMatching } from '../parser/ast';
import { describeMatching } from './describe-matching';
import { SignatureOrdinals } from './match-signature';
import { OutputSeriesTable, type UniqueIdsCheck } from './output-series';
import { nextBatches } from './zip-batches';

interface Plan {
  labels: Labels[];
  lhsSig: Int32Array;
  rhsSig: Int32Array;
  lhsOut: Int32Array;
  rhsOut: Int32Array;
  lhsStamp: Int32Array;
  unique: UniqueIdsCheck | null;
}

export class OrOperator implements VectorOperator {
  private plan: Plan | null = null;
  private stamp = 0;

  constructor(
    private readonly ctx: QueryContext,
    private readonly lhs: VectorOperator,
    private readonly rhs: VectorOperator,
    readonly matching: VectorMatching,
    readonly pos: PositionRange
  ) {}

  async series(): Promise<readonly Labels[]> {
    return (await this.init()).labels;
  }

  private async init(): Promise<Plan> {
    if (this.plan !== null) {
      return this.plan;
    }
    const lhsLabels = await this.lhs.series();
    const rhsLabels = await this.rhs.series();
    const ordinals = new SignatureOrdinals(this.matching);
    const lhsSig = ordinals.ordinalsOf(lhsLabels);
    const rhsSig = ordinals.ordinalsOf(rhsLabels);
    // Equal label sets on both sides (e.g. `-a or -b`) share one output series.
    const table = new OutputSeriesTable();
    const lhsOut = Int32Array.from(lhsLabels, (labels) => table.idOf(labels));
    const rhsOut = Int32Array.from(rhsLabels, (labels) => table.idOf(labels));
    this.plan = {
      labels: table.labels,
      lhsSig,
      rhsSig,
      lhsOut,
      rhsOut,
      lhsStamp: new Int32Array(ordinals.count),
      unique: table.uniquenessCheck(),
    };
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
      const stamp = ++this.stamp;
      const out: StepVector = { t: l.t, ids: [], values: [] };
      for (let j = 0; j < l.ids.length; j++) {
        const id = l.ids[j];
        plan.lhsStamp[plan.lhsSig[id]] = stamp;
        out.ids.push(plan.lhsOut[id]);
        out.values.push(l.values[j]);
      }
      for (let j = 0; j < r.ids.length; j++) {
        const id = r.ids[j];
        if (plan.lhsStamp[plan.rhsSig[id]] !== stamp) {
          out.ids.push(plan.rhsOut[id]);
          out.values.push(r.values[j]);
        }
      }
      plan.unique?.check(out.ids);
      return out;
    });
  }

  describe(): string {
    return `[binary] or${describeMatching(this.matching)}`;
  }

  children(): readonly VectorOperator[] {
    return [this.lhs, this.rhs];
  }
}
