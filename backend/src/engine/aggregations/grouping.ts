/**
 * The series → group table of an aggregation, computed once from the child's series so that no
 * step hashes labels. Groups are numbered in the order their first series appears, as Prometheus
 * numbers them.
 */
import type { Labels } from '../../storage';
import { labelsKey, METRIC_NAME } from '../model/labels';

/** `without` also drops the metric name and the metadata labels of the type-and-unit feature. */
const ALWAYS_DROPPED_BY_WITHOUT = [METRIC_NAME, '__type__', '__unit__'];

export interface Grouping {
  /** Group id of each input series id. */
  groupOf: Int32Array;
  /** Output labels of each group. */
  groups: Labels[];
}

/** The labels of a series' group: by keeps only `names` (none for `by ()`), without drops them. */
export function groupLabels(labels: Labels, names: readonly string[], without: boolean): Labels {
  if (without) {
    const dropped = new Set([...names, ...ALWAYS_DROPPED_BY_WITHOUT]);
    return labels.filter((l) => !dropped.has(l.name));
  }
  if (names.length === 0) {
    return [];
  }
  const kept = new Set(names);
  return labels.filter((l) => kept.has(l.name));
}

export function groupSeries(series: readonly Labels[], names: readonly string[], without: boolean): Grouping {
  const groupOf = new Int32Array(series.length);
  const groups: Labels[] = [];
  const idByKey = new Map<string, number>();
  for (let i = 0; i < series.length; i++) {
    const labels = groupLabels(series[i], names, without);
    const key = labelsKey(labels);
    let id = idByKey.get(key);
    if (id === undefined) {
      id = groups.length;
      idByKey.set(key, id);
      groups.push(labels);
    }
    groupOf[i] = id;
  }
  return { groupOf, groups };
}
