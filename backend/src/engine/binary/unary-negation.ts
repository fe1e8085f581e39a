/**
 * Unary minus. On a vector it drops the metric name, so series that differ only by name merge into
 * one output series, which fails at a step where more than one of them has a sample.
 */
import type { Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import { dropMetadataLabels } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable, type UniqueIdsCheck } from '../model/output-series';
import type { StepVector } from '../model/step-vector';
import type { PositionRange } from '../parser/ast';

interface Plan {
  labels: readonly Labels[];
  outIds: Int32Array;
  unique: UniqueIdsCheck | null;
}

/** Works for scalars too: their one series has no labels to drop. */
export class UnaryNegationOperator implements VectorOperator {
  private plan: Plan | null = null;

  constructor(
    private readonly ctx: QueryContext,
    private readonly child: VectorOperator,
    readonly pos: PositionRange
  ) {}

  async series(): Promise<readonly Labels[]> {
    return (await this.init()).labels;
  }

  private async init(): Promise<Plan> {
    if (this.plan === null) {
      const table = new OutputSeriesTable();
      const outIds = Int32Array.from(await this.child.series(), (labels) => table.idOf(dropMetadataLabels(labels)));
      this.plan = { labels: table.labels, outIds, unique: table.uniquenessCheck() };
    }
    return this.plan;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const plan = await this.init();
    const batch = await this.child.next();
    if (batch === null) {
      return null;
    }
    return batch.map((sv) => {
      const ids = sv.ids.map((id) => plan.outIds[id]);
      plan.unique?.check(ids);
      return { t: sv.t, ids, values: sv.values.map((v) => -v) };
    });
  }

  describe(): string {
    return '[unary] -';
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }
}
