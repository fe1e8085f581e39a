import type { Labels } from '../../storage';
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import { labelValue, withLabel } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { PositionRange } from '../parser/ast';
import { isValidLabelName, RelabelOperator } from './relabel';

/**
 * label_join(v, dst, separator, src…): dst becomes the src values (missing ones as '') joined by the
 * separator; an empty result removes dst.
 */
export class LabelJoinOperator extends RelabelOperator {
  constructor(
    ctx: QueryContext,
    child: VectorOperator,
    private readonly dst: string,
    private readonly separator: string,
    private readonly srcLabels: readonly string[],
    readonly pos: PositionRange
  ) {
    super(ctx, child);
  }

  protected validate(): void {
    for (const src of this.srcLabels) {
      if (!isValidLabelName(src)) {
        throw new QueryError('execution', `invalid source label name in label_join(): ${src}`);
      }
    }
    if (!isValidLabelName(this.dst)) {
      throw new QueryError('execution', `invalid destination label name in label_join(): ${this.dst}`);
    }
  }

  protected relabel(labels: Labels): Labels {
    const joined = this.srcLabels.map((src) => labelValue(labels, src)).join(this.separator);
    return withLabel(labels, this.dst, joined);
  }

  describe(): string {
    return `[labelJoin] ${this.dst}`;
  }
}
