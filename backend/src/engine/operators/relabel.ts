import { labelsKey, type Labels } from '../../storage';
import { QueryError } from '../api';
import { checkAborted, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';

/**
 * Base of label_replace and label_join: rewrites the child's series labels and passes the samples
 * through. Series that end up with the same labels become one output series, as Prometheus merges
 * them; if two of them have a sample at the same step the query fails.
 */
export abstract class RelabelOperator implements VectorOperator {
  private outputLabels: Labels[] | null = null;
  /** Output id per child series id. */
  private outputOf = new Int32Array(0);
  private merged = false;
  private readonly seenAt = new Map<number, number>();
  private stepNumber = 0;

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
      const ids = new Map<string, number>();
      const out: Labels[] = [];
      this.outputOf = new Int32Array(input.length);
      input.forEach((labels, i) => {
        const relabeled = this.relabel(labels);
        const key = labelsKey(relabeled);
        let id = ids.get(key);
        if (id === undefined) {
          id = out.length;
          ids.set(key, id);
          out.push(relabeled);
        } else {
          this.merged = true;
        }
        this.outputOf[i] = id;
      });
      this.outputLabels = out;
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
      const step = this.stepNumber++;
      for (let i = 0; i < sv.ids.length; i++) {
        const id = this.outputOf[sv.ids[i]];
        if (this.merged) {
          if (this.seenAt.get(id) === step) {
            throw new QueryError('execution', 'vector cannot contain metrics with the same labelset');
          }
          this.seenAt.set(id, step);
        }
        sv.ids[i] = id;
      }
    }
    return batch;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Prometheus' UTF-8 label name rule: non-empty and valid UTF-8 (no lone surrogate in JS terms). */
export function isValidLabelName(name: string): boolean {
  return name !== '' && !LONE_SURROGATE.test(name);
}
