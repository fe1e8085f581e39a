import type { Labels } from '../../storage';
import { labelValue } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';

export type SortOrder = { by: 'value'; descending: boolean } | { by: 'labels'; names: string[]; descending: boolean };

const collator = new Intl.Collator('en', { numeric: true });

/**
 * sort, sort_desc, sort_by_label, sort_by_label_desc: reorders each step vector. Only the order of an
 * instant query's result changes; range results are sorted by labels anyway.
 */
export class SortOperator implements VectorOperator {
  private labels: readonly Labels[] = [];

  constructor(
    private readonly child: VectorOperator,
    private readonly order: SortOrder,
    private readonly name: string
  ) {}

  async series(): Promise<readonly Labels[]> {
    this.labels = await this.child.series();
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    const batch = await this.child.next();
    if (batch === null) return null;
    return batch.map((sv) => this.sorted(sv));
  }

  private sorted(sv: StepVector): StepVector {
    const idx = Array.from(sv.ids, (_, i) => i);
    const sign = this.order.descending ? -1 : 1;
    if (this.order.by === 'value') {
      // NaN goes last in both directions, as in Prometheus
      idx.sort((a, b) => {
        const va = sv.values[a];
        const vb = sv.values[b];
        if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
        if (Number.isNaN(vb)) return -1;
        return sign * (va - vb);
      });
    } else {
      const names = this.order.names;
      idx.sort((a, b) => {
        const la = this.labels[sv.ids[a]];
        const lb = this.labels[sv.ids[b]];
        for (const n of names) {
          const c = collator.compare(labelValue(la, n), labelValue(lb, n));
          if (c !== 0) return sign * c;
        }
        return sign * collator.compare(render(la), render(lb));
      });
    }
    return {
      t: sv.t,
      ids: Int32Array.from(idx, (i) => sv.ids[i]),
      values: Float64Array.from(idx, (i) => sv.values[i]),
    };
  }

  describe(): string {
    return `[function] ${this.name}`;
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }
}

function render(labels: Labels): string {
  return labels.map((l) => `${l.name}\u0000${l.value}`).join('\u0001');
}
