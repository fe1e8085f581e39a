import type { Labels } from '../../storage';
import { checkAborted, type QueryContext } from '../model/context';
import { SCALAR_SERIES, type VectorOperator } from '../model/operator';
import { singleSample, type StepVector } from '../model/step-vector';
import { StepCursor } from './step-times';

/**
 * A scalar computed from the step time alone: number literals (`value(t)` constant) and time().
 * One series without labels and one sample per step, as every scalar operator has.
 */
export class ScalarGeneratorOperator implements VectorOperator {
  private readonly steps: StepCursor;

  constructor(
    private readonly ctx: QueryContext,
    private readonly value: (t: number) => number,
    private readonly name: string
  ) {
    this.steps = new StepCursor(ctx);
  }

  series(): Promise<readonly Labels[]> {
    return Promise.resolve(SCALAR_SERIES);
  }

  next(): Promise<StepVector[] | null> {
    checkAborted(this.ctx.signal);
    const times = this.steps.batch();
    return Promise.resolve(times === null ? null : times.map((t) => singleSample(t, this.value(t))));
  }

  describe(): string {
    return `[scalar] ${this.name}`;
  }

  children(): readonly VectorOperator[] {
    return [];
  }
}
