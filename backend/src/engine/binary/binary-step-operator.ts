/**
 * What the binary operators share: the output series are planned once from both operands' series,
 * then the operands' batches (which share step boundaries) are zipped step by step, each pair of
 * steps making one output step, which may hold each output series only once.
 */
import type { Labels } from '../../storage';
import { QueryError } from '../api';
import { checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { UniqueIdsCheck } from '../model/output-series';
import type { StepVector } from '../model/step-vector';

export interface BinaryPlan {
  labels: readonly Labels[];
  /** Set when several inputs map to one output series (see OutputSeriesTable). */
  unique: UniqueIdsCheck | null;
}

export abstract class BinaryStepOperator<P extends BinaryPlan> implements VectorOperator {
  private plan: P | null = null;

  protected constructor(
    protected readonly ctx: QueryContext,
    protected readonly lhs: VectorOperator,
    protected readonly rhs: VectorOperator
  ) {}

  /** Reads the operands' series and plans the output series and the tables the steps use. */
  protected abstract buildPlan(): Promise<P>;

  /** The output step for the operands' steps at the same time. */
  protected abstract step(plan: P, lhs: StepVector, rhs: StepVector): StepVector;

  abstract describe(): string;

  async series(): Promise<readonly Labels[]> {
    return (await this.init()).labels;
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
      const out = this.step(plan, l, rhsBatch[i]);
      plan.unique?.check(out.ids);
      return out;
    });
  }

  children(): readonly VectorOperator[] {
    return [this.lhs, this.rhs];
  }

  private async init(): Promise<P> {
    if (this.plan === null) {
      this.plan = await this.buildPlan();
    }
    return this.plan;
  }
}

/** Pulls the next batch of both operands, which share step boundaries. */
async function nextBatches(lhs: VectorOperator, rhs: VectorOperator): Promise<[StepVector[], StepVector[]] | null> {
  // The left side first, so its errors win like in Prometheus, which evaluates it first.
  const l = await lhs.next();
  const r = await rhs.next();
  if (l === null && r === null) {
    return null;
  }
  if (l === null || r === null || l.length !== r.length || l.some((sv, i) => sv.t !== r[i].t)) {
    throw new QueryError('internal', 'the operands of a binary operation produced different steps');
  }
  return [l, r];
}
