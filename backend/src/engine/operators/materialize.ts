import { type Labels, labelsKey } from '../../storage';
import type { SampleBudget } from '../model/context';
import type { VectorOperator } from '../model/operator';

export interface MaterializedSeries {
  labels: Labels;
  timestamps: number[];
  values: number[];
}

/**
 * Runs an operator to the end and gathers its output per label set: operators may list one label
 * set under several ids (e.g. after dropping metric names) as long as no step has two of them, so
 * their points are merged here, as Prometheus merges them. Series without any point are left out.
 * Every gathered point counts against the sample budget until the caller gives it back.
 */
export async function materialize(op: VectorOperator, budget: SampleBudget): Promise<MaterializedSeries[]> {
  const labels = await op.series();
  const byKey = new Map<string, MaterializedSeries>();
  const target = labels.map((l) => {
    const key = labelsKey(l);
    let s = byKey.get(key);
    if (s === undefined) {
      s = { labels: l, timestamps: [], values: [] };
      byKey.set(key, s);
    }
    return s;
  });
  const merged = byKey.size < labels.length;
  for (let batch = await op.next(); batch !== null; batch = await op.next()) {
    let n = 0;
    for (const sv of batch) {
      for (let i = 0; i < sv.ids.length; i++) {
        const s = target[sv.ids[i]];
        s.timestamps.push(sv.t);
        s.values.push(sv.values[i]);
      }
      n += sv.ids.length;
    }
    budget.take(n);
  }
  const out = [...byKey.values()].filter((s) => s.timestamps.length > 0);
  if (merged) {
    for (const s of out) sortPoints(s);
  }
  return out;
}

function sortPoints(s: MaterializedSeries): void {
  for (let i = 1; i < s.timestamps.length; i++) {
    if (s.timestamps[i - 1] > s.timestamps[i]) {
      const idx = s.timestamps.map((_, j) => j).sort((a, b) => s.timestamps[a] - s.timestamps[b]);
      s.timestamps = idx.map((j) => s.timestamps[j]);
      s.values = idx.map((j) => s.values[j]);
      return;
    }
  }
}
