import type { Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import { SCALAR_SERIES, type VectorOperator } from '../model/operator';
import { singleSample, type StepVector } from '../model/step-vector';
import { zipScalarArgs } from './scalar-args';
import { StepCursor } from './step-times';

/** A function of scalars that yields a scalar, e.g. min_of(a, b). */
export class ScalarFunctionOperator implements VectorOperator {
  private readonly steps: StepCursor;

  constructor(
    private readonly ctx: QueryContext,
    private readonly args: VectorOperator[],
    private readonly fn: (...values: number[]) => number,
    private readonly name: string
  ) {
    this.steps = new StepCursor(ctx);
  }

  series(): Promise<readonly Labels[]> {
    return Promise.resolve(SCALAR_SERIES);
  }

  async next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const times = this.steps.batch();
    const values = await zipScalarArgs(this.args, times);
    if (times === null) return null;
    return times.map((t, i) => singleSample(t, this.fn(...values[i])));
  }

  describe(): string {
    return `[function] ${this.name}`;
  }

  children(): readonly VectorOperator[] {
    return this.args;
  }
}
