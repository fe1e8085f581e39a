/**
 * `and` and `unless`: the left-hand samples whose signature does (`and`) or does not (`unless`) have
 * a right-hand sample at the same step. Labels and values come from the left-hand side.
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
  /** Output id per left-hand series; -1 for an `and` series no right-hand series can ever match. */
  lhsOut: Int32Array;
  rhsStamp: Int32Array;
  unique: UniqueIdsCheck | null;
}

export class AndUnlessOperator implements VectorOperator {
  private plan: Plan | null = null;
  private stamp = 0;

  constructor(
    private readonly ctx: QueryContext,
    readonly op: 'and' | 'unless',
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
    const onRight = new Uint8Array(ordinals.count);
    for (const sig of rhsSig) {
      onRight[sig] = 1;
    }
    const table = new OutputSeriesTable();
    const lhsOut = Int32Array.from(lhsLabels, (labels, i) =>
      this.op === 'and' && onRight[lhsSig[i]] === 0 ? -1 : table.idOf(labels)
    );
    this.plan = {
      labels: table.labels,
      lhsSig,
      rhsSig,
      lhsOut,
      rhsStamp: new Int32Array(ordinals.count),
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
    const keepMatched = this.op === 'and';
    return lhsBatch.map((l, i) => {
      const stamp = ++this.stamp;
      for (const id of rhsBatch[i].ids) {
        plan.rhsStamp[plan.rhsSig[id]] = stamp;
      }
      const out: StepVector = { t: l.t, ids: [], values: [] };
      for (let j = 0; j < l.ids.length; j++) {
        const id = l.ids[j];
        if ((plan.rhsStamp[plan.lhsSig[id]] === stamp) === keepMatched) {
          out.ids.push(plan.lhsOut[id]);
          out.values.push(l.values[j]);
        }
      }
      plan.unique?.check(out.ids);
      return out;
    });
  }

  describe(): string {
    return `[binary] ${this.op}${describeMatching(this.matching)}`;
  }

  children(): readonly VectorOperator[] {
    return [this.lhs, this.rhs];
  }
}
