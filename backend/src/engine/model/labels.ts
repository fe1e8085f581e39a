/** Label-set helpers the operators share (label sets are sorted by name, as in the store). */
import type { Label, Labels } from '../../storage';

export { compareLabels, labelsKey } from '../../storage';

export const METRIC_NAME = '__name__';

export function dropMetricName(labels: Labels): Labels {
  const i = labels.findIndex((l) => l.name === METRIC_NAME);
  return i < 0 ? labels : [...labels.slice(0, i), ...labels.slice(i + 1)];
}

export function labelValue(labels: Labels, name: string): string {
  for (const l of labels) {
    if (l.name === name) {
      return l.value;
    }
  }
  return '';
}

/** Sets (or with '' removes) one label, keeping the set sorted. */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = [];
  let done = false;
  for (const l of labels) {
    if (!done && l.name >= name) {
      done = true;
      if (value !== '') {
        out.push({ name, value });
      }
      if (l.name === name) {
        continue;
      }
    }
    out.push(l);
  }
  if (!done && value !== '') {
    out.push({ name, value });
  }
  return out;
}

/** Keeps only `names` (on / by semantics) or drops them (ignoring / without semantics). */
export function selectLabels(labels: Labels, names: readonly string[], keep: boolean): Labels {
  const set = new Set(names);
  return labels.filter((l) => set.has(l.name) === keep);
}

/** Prometheus' `{a="b", c="d"}` rendering, used in error messages. */
export function formatLabels(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}
