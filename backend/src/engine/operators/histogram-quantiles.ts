import type { Label } from '../../storage';
import { invalidQuantileWarning } from '../functions/annotations';
import { bucketQuantile, type Bucket } from '../functions/bucket-quantile';
import { formatOpenMetricsFloat } from '../parser/go-format';
import { annotationsAt, type QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { PositionRange } from '../parser/ast';
import { ClassicHistogramOperator, type HistogramResult } from './classic-histogram';

/**
 * histogram_quantiles(buckets, "label", φ1, φ2, …) (experimental): one output per group and φ, with
 * the φ value in `label` ("0.5", "1.0", "NaN"). Annotations as for histogram_quantile, the invalid-φ
 * warning at each φ's own position.
 */
export class HistogramQuantilesOperator extends ClassicHistogramOperator {
  private readonly phiAnnotations: { warn(m: string): void }[];

  constructor(
    ctx: QueryContext,
    child: VectorOperator,
    private readonly quantileLabel: string,
    phiOperators: VectorOperator[],
    phiPositions: PositionRange[],
    vectorPos: PositionRange
  ) {
    super(ctx, child, phiOperators, vectorPos);
    this.phiAnnotations = phiPositions.map((pos) => annotationsAt(ctx, pos));
  }

  protected variantCount(): number {
    return this.phiAnnotations.length;
  }

  protected override variantLabel(variant: number, step: number): Label | null {
    const q = this.paramValues[variant][step];
    return { name: this.quantileLabel, value: formatOpenMetricsFloat(q ?? NaN) };
  }

  protected checkParams(step: number): void {
    this.phiAnnotations.forEach((annotations, variant) => {
      const q = this.paramValues[variant][step];
      if (Number.isNaN(q) || q < 0 || q > 1) {
        annotations.warn(invalidQuantileWarning(q));
      }
    });
  }

  protected evaluate(buckets: Bucket[], variant: number, step: number): HistogramResult {
    return bucketQuantile(this.paramValues[variant][step], buckets);
  }

  describe(): string {
    return `[histogramQuantiles] ${this.quantileLabel}`;
  }
}
