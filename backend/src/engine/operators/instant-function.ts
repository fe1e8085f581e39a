import type { Labels } from '../../storage';
import type { InstantFunction } from '../functions/types';
import { checkAborted } from '../model/context';
import { dropMetricName } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { emptyStepVector, type StepVector } from '../model/step-vector';
import { DuplicateLabelsCheck } from './duplicate-labels';
import { zipScalarArgs } from './scalar-args';

/** An element-wise function of an instant vector (abs, clamp, round, hour, …) with scalar arguments. */
export class InstantFunctionOperator implements VectorOperator {
  private labels: Labels[] | null = null;
  private duplicates: DuplicateLabelsCheck | null = null;

  constructor(
    private readonly signal: AbortSignal,
    private readonly name: string,
    private readonly fn: InstantFunction,
    private readonly child: VectorOperator,
    private readonly args: VectorOperator[]
  ) {}

  async series(): Promise<readonly Labels[]> {
    if (this.labels === null) {
      const input = await this.child.series();
      this.labels = input.map((l) => (this.fn.dropsName ? dropMetricName(l) : l));
      this.duplicates = new DuplicateLabelsCheck(this.labels);
    }
    return this.labels;
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.signal);
    await this.series();
    const batch = await this.child.next();
    const args = await zipScalarArgs(this.args, batch && batch.map((sv) => sv.t));
    if (batch === null) {
      return null;
    }
    for (let i = 0; i < batch.length; i++) {
      const sv = batch[i];
      if (this.fn.yieldsAt?.(args[i]) === false) {
        batch[i] = emptyStepVector(sv.t);
        continue;
      }
      for (let j = 0; j < sv.values.length; j++) {
        sv.values[j] = this.fn.compute(sv.values[j], args[i], sv.t);
      }
      this.duplicates?.check(sv.ids);
    }
    return batch;
  }

  describe(): string {
    return `[function] ${this.name}`;
  }

  children(): readonly VectorOperator[] {
    return [this.child, ...this.args];
  }
}
