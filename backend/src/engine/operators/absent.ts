import type { Labels } from '../../storage';
import type { VectorOperator } from '../model/operator';
import { emptyStepVector, singleSample, type StepVector } from '../model/step-vector';

/**
 * absent(v) / absent_over_time(m): a sample of value 1 at every step where the argument has none.
 * The output labels come from the selector's equality matchers (computed by the planner).
 */
export class AbsentOperator implements VectorOperator {
  constructor(
    private readonly child: VectorOperator,
    private readonly labels: Labels,
    private readonly name: string
  ) {}

  series(): Promise<readonly Labels[]> {
    return Promise.resolve([this.labels]);
  }

  async next(): Promise<StepVector[] | null> {
    const batch = await this.child.next();
    if (batch === null) return null;
    return batch.map((sv) => (sv.ids.length === 0 ? singleSample(sv.t, 1) : emptyStepVector(sv.t)));
  }

  describe(): string {
    return `[function] ${this.name}`;
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }
}
