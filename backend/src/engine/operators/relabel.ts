import type { Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable, type UniqueIdsCheck } from '../model/output-series';
import type { StepVector } from '../model/step-vector';
import { isValidUtf8 } from '../parser/string-literal';

/**
 * Base of label_replace and label_join: rewrites the child's series labels and passes the samples
 * through. Series that end up with the same labels become one output series, as Prometheus merges
 * them; if two of them have a sample at the same step the query fails.
 */
export abstract class RelabelOperator implements VectorOperator {
  private outputLabels: Labels[] | null = null;
  /** Output id per child series id. */
  private outputOf = new Int32Array(0);
  /** Set when series were merged. */
  private unique: UniqueIdsCheck | null = null;

  protected constructor(
    protected readonly ctx: QueryContext,
    private readonly child: VectorOperator
  ) {}

  /** Throws the function's argument errors; called before the child is read, as in Prometheus. */
  protected abstract validate(): void;

  protected abstract relabel(labels: Labels): Labels;

  abstract describe(): string;

  children(): readonly VectorOperator[] {
    return [this.child];
  }

  async series(): Promise<readonly Labels[]> {
    if (this.outputLabels === null) {
      this.validate();
      const input = await this.child.series();
      const table = new OutputSeriesTable();
      this.outputOf = Int32Array.from(input, (labels) => table.idOf(this.relabel(labels)));
      this.unique = table.uniquenessCheck();
      this.outputLabels = table.labels;
    }
    return this.outputLabels;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    await this.series();
    const batch = await this.child.next();
    if (batch === null) {
      return null;
    }
    for (const sv of batch) {
      for (let i = 0; i < sv.ids.length; i++) {
        sv.ids[i] = this.outputOf[sv.ids[i]];
      }
      this.unique?.check(sv.ids);
    }
    return batch;
  }
}

/** Prometheus' UTF-8 label name rule: non-empty and valid UTF-8 (no lone surrogate in JS terms). */
export function isValidLabelName(name: string): boolean {
  return name !== '' && isValidUtf8(name);
}
