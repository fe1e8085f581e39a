/** How two series are matched across the sides of a binary operation (`on` / `ignoring`). */
import { type Labels, labelsKey } from '../../storage';
import { groupLabels } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { VectorMatching } from '../parser/ast';

export type MatchingClause = Pick<VectorMatching, 'on' | 'matchingLabels'>;

/**
 * The labels two series must share to match (Prometheus' matchLabels): the `on` labels, or all but
 * the `ignoring` labels and the schema labels.
 */
export function matchingLabelsOf(labels: Labels, matching: MatchingClause): Labels {
  return groupLabels(labels, matching.matchingLabels, !matching.on);
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

/** Both operands' series and each one's matching signature, numbered across both sides. */
export interface MatchedOperands {
  lhsLabels: readonly Labels[];
  rhsLabels: readonly Labels[];
  lhsSig: Int32Array;
  rhsSig: Int32Array;
  /** How many distinct signatures there are (the size of per-signature tables). */
  signatures: number;
}

export async function matchOperands(
  lhs: VectorOperator,
  rhs: VectorOperator,
  matching: MatchingClause
): Promise<MatchedOperands> {
  const lhsLabels = await lhs.series();
  const rhsLabels = await rhs.series();
  const ordinals = new SignatureOrdinals(matching);
  const lhsSig = ordinals.ordinalsOf(lhsLabels);
  const rhsSig = ordinals.ordinalsOf(rhsLabels);
  return { lhsLabels, rhsLabels, lhsSig, rhsSig, signatures: ordinals.count };
}
