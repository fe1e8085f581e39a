import { bucketFraction, type Bucket } from '../functions/bucket-quantile';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { PositionRange } from '../parser/ast';
import { ClassicHistogramOperator, type HistogramResult } from './classic-histogram';

/** histogram_fraction(lower, upper, buckets) over classic histograms. */
export class HistogramFractionOperator extends ClassicHistogramOperator {
  constructor(
    ctx: QueryContext,
    lowerOperator: VectorOperator,
    upperOperator: VectorOperator,
    child: VectorOperator,
    vectorPos: PositionRange
  ) {
    super(ctx, child, [lowerOperator, upperOperator], vectorPos);
  }

  protected variantCount(): number {
    return 1;
  }

  protected checkParams(): void {
    // histogram_fraction accepts any bounds.
  }

  protected evaluate(buckets: Bucket[], _variant: number, step: number): HistogramResult {
    return { value: bucketFraction(this.paramValues[0][step], this.paramValues[1][step], buckets) };
  }

  describe(): string {
    return '[histogramFraction]';
  }
}
