/**
 * One evaluation step in columnar form: the ids (indexes into the producing operator's `series()`)
 * of the series that have a value at `t`, and their values. Series without a value are simply absent.
 */
export interface StepVector {
  t: number;
  ids: number[];
  values: number[];
}

/** A scalar operator's value at a step (scalars always have one sample; NaN guards a missing one). */
export function scalarValue(sv: Pick<StepVector, 'values'>): number {
  return sv.values.length > 0 ? sv.values[0] : NaN;
}

export function emptyStepVector(t: number): StepVector {
  return { t, ids: [], values: [] };
}
