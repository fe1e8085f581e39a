/** Pulls the next batch of both children of a binary operator, which share step boundaries. */
import { QueryError } from '../api';
import type { VectorOperator } from '../model/operator';
import type { StepVector } from '../model/step-vector';

export async function nextBatches(
  lhs: VectorOperator,
  rhs: VectorOperator
): Promise<[StepVector[], StepVector[]] | null> {
  // The left side first, so its errors win like in Prometheus, which evaluates it first.
  const l = await lhs.next();
  const r = await rhs.next();
  if (l === null && r === null) {
    return null;
  }
  if (l === null || r === null || l.length !== r.length || l.some((sv, i) => sv.t !== r[i].t)) {
    throw new QueryError('internal', 'the operands of a binary operation produced different steps');
  }
  return [l, r];
}

/** A scalar operand's value at a step (scalars always have one sample; NaN guards a missing one). */
export function scalarValue(sv: StepVector): number {
  return sv.values.length > 0 ? sv.values[0] : NaN;
}
