import type { Labels } from '../../storage';
import { SCALAR_SERIES, type VectorOperator } from '../model/operator';
import { singleSample, type StepVector } from '../model/step-vector';

/** scalar(v): the single sample's value at each step, or NaN when there are zero or several. */
export class ScalarOfVectorOperator implements VectorOperator {
  constructor(private readonly child: VectorOperator) {}

  series(): Promise<readonly Labels[]> {
    return Promise.resolve(SCALAR_SERIES);
  }

  async next(): Promise<StepVector[] | null> {
    const batch = await this.child.next();
    if (batch === null) return null;
    return batch.map((sv) => singleSample(sv.t, sv.values.length === 1 ? sv.values[0] : NaN));
  }

  describe(): string {
    return '[function] scalar';
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }
}
