/**
 * The output series of an operator that maps its input series onto label sets (binary and unary
 * operators, grouping, relabelling): each label set once, numbered in first-seen order, plus the
 * per-step check that several inputs merged into one output series did not collide.
 */
import { type Labels, labelsKey } from '../../storage';
import { QueryError } from '../api';

/**
 * Several inputs can produce one output label set (e.g. `-a` and `-b` once the names are dropped).
 * They become one output series, which (where it is a result, not a group) may only have one
 * sample per step.
 */
export class OutputSeriesTable {
  private readonly byKey = new Map<string, number>();
  readonly labels: Labels[] = [];
  /** How many inputs were mapped; more than `labels.length` means collisions are possible. */
  private sources = 0;

  idOf(labels: Labels): number {
    this.sources++;
    const key = labelsKey(labels);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.byKey.set(key, id);
      this.labels.push(labels);
    }
    return id;
  }

  uniquenessCheck(): UniqueIdsCheck | null {
    return this.sources > this.labels.length ? new UniqueIdsCheck(this.labels.length) : null;
  }
}

/** Prometheus' rangeEval check: one step's output may not hold a label set twice. */
export class UniqueIdsCheck {
  private stamp = 0;
  private readonly stamps: Int32Array;

  constructor(size: number) {
    this.stamps = new Int32Array(size);
  }

  check(ids: ArrayLike<number>): void {
    this.stamp++;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (this.stamps[id] === this.stamp) {
        throw new QueryError('execution', 'vector cannot contain metrics with the same labelset');
      }
      this.stamps[id] = this.stamp;
    }
  }
}
