/** Label-set helpers the operators share (label sets are sorted by name, as in the store). */
import type { Label, Labels } from '../../storage';

export { compareLabels, labelsKey } from '../../storage';

export const METRIC_NAME = '__name__';

/** The metric's schema labels: the name, and the type and unit of Prometheus' type-and-unit labels. */
export const METADATA_LABELS: ReadonlySet<string> = new Set([METRIC_NAME, '__type__', '__unit__']);

/** Prometheus drops all schema labels where it "drops the metric name" (schema.IsMetadataLabel). */
export function dropMetadataLabels(labels: Labels): Labels {
  return labels.some((l) => METADATA_LABELS.has(l.name)) ? labels.filter((l) => !METADATA_LABELS.has(l.name)) : labels;
}

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

/**
 * The labels of a series' group (by / without) or matching signature (on / ignoring): `by` keeps
 * only `names` (none for `by ()`), `without` drops them, the metric name and the metadata labels of
 * the type-and-unit feature.
 */
export function groupLabels(labels: Labels, names: readonly string[], without: boolean): Labels {
  if (without) {
    const dropped = new Set([...names, ...METADATA_LABELS]);
    return labels.filter((l) => !dropped.has(l.name));
  }
  if (names.length === 0) {
    return [];
  }
  const kept = new Set(names);
  return labels.filter((l) => kept.has(l.name));
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
