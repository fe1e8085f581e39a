import { invalidQuantileWarning } from '../functions/annotations';
import { bucketQuantile, type Bucket } from '../functions/bucket-quantile';
import { annotationsAt, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { PositionRange } from '../parser/ast';
import { ClassicHistogramOperator, type HistogramResult } from './classic-histogram';

/**
 * histogram_quantile(φ, buckets) over classic histograms. Annotations: the invalid-φ warning at φ's
 * position (args[0].pos; at every step, even without buckets); the `le` warning and the monotonicity
 * info at the bucket vector's position (args[1].pos, which defaults to phiPos).
 */
export class HistogramQuantileOperator extends ClassicHistogramOperator {
  private readonly phiAnnotations: { warn(m: string): void };

  constructor(
    ctx: QueryContext,
    phiOperator: VectorOperator,
    child: VectorOperator,
    phiPos: PositionRange,
    vectorPos: PositionRange = phiPos
  ) {
    super(ctx, child, [phiOperator], vectorPos);
    this.phiAnnotations = annotationsAt(ctx, phiPos);
  }

  protected variantCount(): number {
    return 1;
  }

  protected checkParams(step: number): void {
    const q = this.paramValues[0][step];
    if (Number.isNaN(q) || q < 0 || q > 1) {
      this.phiAnnotations.warn(invalidQuantileWarning(q));
    }
  }

  protected evaluate(buckets: Bucket[], _variant: number, step: number): HistogramResult {
    return bucketQuantile(this.paramValues[0][step], buckets);
  }

  describe(): string {
    return '[histogramQuantile]';
  }
}
