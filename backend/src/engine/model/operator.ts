import type { Labels } from '../../storage';
import type { StepVector } from './step-vector';

/** The series of every scalar operator: one, without labels. */
export const SCALAR_SERIES: readonly Labels[] = [[]];

/**
 * A physical operator of the Volcano model. `series()` is known before the first `next()` so a
 * parent can size its tables by series id instead of hashing labels on every step; `next()` returns
 * the next batch of consecutive steps (at most `QueryContext.stepsBatch`), or null when done.
 *
 * Every step of the query range appears in exactly one batch, in order, even when it holds no
 * samples, so parents can zip the batches of their children step by step.
 */
export interface VectorOperator {
  series(): Promise<readonly Labels[]>;
  next(): Promise<StepVector[] | null>;
  /** A one-line description for EXPLAIN-style output and error messages. */
  describe(): string;
  children(): readonly VectorOperator[];
}
