import type { Labels } from '../../storage';
import { dropMetricName } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';

/** timestamp(expr) for anything but a plain selector: every sample's value becomes the step time (s). */
export class StepTimeValueOperator implements VectorOperator {
  constructor(private readonly child: VectorOperator) {}

  async series(): Promise<readonly Labels[]> {
    return (await this.child.series()).map(dropMetricName);
  }

  async next(): Promise<StepVector[] | null> {
    const batch = await this.child.next();
    if (batch === null) return null;
    for (const sv of batch) sv.values.fill(sv.t / 1000);
    return batch;
  }

  describe(): string {
    return '[function] timestamp';
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }
}
