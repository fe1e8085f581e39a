import { type Labels, labelsKey } from '../../storage';
import { QueryError } from '../api';

/**
 * Output series that share a label set (e.g. after a function dropped the metric name) may not both
 * have a sample at one step: Prometheus fails such a query rather than returning ambiguous data.
 * Built once from series(); `check` costs nothing when no two series collide.
 */
export class DuplicateLabelsCheck {
  /** For series in a collision group: the group number; -1 otherwise. */
  private readonly group: Int32Array;
  private readonly groups: number;
  private stamp = 0;
  private readonly stamps: Int32Array;

  constructor(labels: readonly Labels[]) {
    const byKey = new Map<string, number[]>();
    labels.forEach((l, id) => {
      const key = labelsKey(l);
      const ids = byKey.get(key);
      if (ids) ids.push(id);
      else byKey.set(key, [id]);
    });
    this.group = new Int32Array(labels.length).fill(-1);
    let g = 0;
    for (const ids of byKey.values()) {
      if (ids.length > 1) {
        for (const id of ids) this.group[id] = g;
        g++;
      }
    }
    this.groups = g;
    this.stamps = new Int32Array(g);
  }

  get needed(): boolean {
    return this.groups > 0;
  }

  /** Throws when two ids of one step are in the same collision group. */
  check(ids: ArrayLike<number>): void {
    if (this.groups === 0) return;
    this.stamp++;
    for (let i = 0; i < ids.length; i++) {
      const g = this.group[ids[i]];
      if (g < 0) continue;
      if (this.stamps[g] === this.stamp) {
        throw new QueryError('execution', 'vector cannot contain metrics with the same labelset');
      }
      this.stamps[g] = this.stamp;
    }
  }
}
