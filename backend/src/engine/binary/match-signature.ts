/** How two series are matched across the sides of a binary operation (`on` / `ignoring`). */
import { type Labels, labelsKey } from '../../storage';
import { METRIC_NAME } from '../model/labels';
import type { VectorMatching } from '../parser/ast';

/** The metric's schema labels: the name, and the type and unit of Prometheus' type-and-unit labels. */
const METADATA_LABELS: ReadonlySet<string> = new Set([METRIC_NAME, '__type__', '__unit__']);

/** Prometheus drops all schema labels where it "drops the metric name" (schema.IsMetadataLabel). */
export function dropMetadataLabels(labels: Labels): Labels {
  return labels.some((l) => METADATA_LABELS.has(l.name)) ? labels.filter((l) => !METADATA_LABELS.has(l.name)) : labels;
}

export type MatchingClause = Pick<VectorMatching, 'on' | 'matchingLabels'>;

/**
 * The labels two series must share to match (Prometheus' matchLabels): the `on` labels, or all but
 * the `ignoring` labels and the schema labels.
 */
export function matchingLabelsOf(labels: Labels, matching: MatchingClause): Labels {
  const names = new Set(matching.matchingLabels);
  if (matching.on) {
    return labels.filter((l) => names.has(l.name));
  }
  return labels.filter((l) => !names.has(l.name) && !METADATA_LABELS.has(l.name));
}

/**
 * Numbers each distinct matching signature across both sides, so a step can find a series' partner
 * by array index instead of hashing labels.
 */
export class SignatureOrdinals {
  private readonly byKey = new Map<string, number>();

  constructor(private readonly matching: MatchingClause) {}

  get count(): number {
    return this.byKey.size;
  }

  ordinalsOf(series: readonly Labels[]): Int32Array {
    const out = new Int32Array(series.length);
    series.forEach((labels, i) => {
      const key = labelsKey(matchingLabelsOf(labels, this.matching));
      let ordinal = this.byKey.get(key);
      if (ordinal === undefined) {
        ordinal = this.byKey.size;
        this.byKey.set(key, ordinal);
      }
      out[i] = ordinal;
    });
    return out;
  }
}
