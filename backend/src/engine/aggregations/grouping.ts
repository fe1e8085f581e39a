/**
 * The series → group table of an aggregation, computed once from the child's series so that no
 * step hashes labels. Groups are numbered in the order their first series appears, as Prometheus
 * numbers them.
 */
import type { Labels } from '../../storage';
import { groupLabels } from '../model/labels';
import { OutputSeriesTable } from '../model/output-series';

export interface Grouping {
  /** Group id of each input series id. */
  groupOf: Int32Array;
  /** Output labels of each group. */
  groups: Labels[];
}

/** The ` by (a, b)` / ` without (a)` clause of an operator description; empty for a plain aggregation. */
export function describeGrouping(names: readonly string[], without: boolean): string {
  return names.length > 0 || without ? ` ${without ? 'without' : 'by'} (${names.join(', ')})` : '';
}

export function groupSeries(series: readonly Labels[], names: readonly string[], without: boolean): Grouping {
  const table = new OutputSeriesTable();
  const groupOf = Int32Array.from(series, (labels) => table.idOf(groupLabels(labels, names, without)));
  return { groupOf, groups: table.labels };
}
