/**
 * One evaluation step in columnar form: the ids (indexes into the producing operator's `series()`)
 * of the series that have a value at `t`, and their values. Series without a value are simply absent.
 */
export interface StepVector {
  t: number;
  ids: number[];
  values: number[];
}

export function emptyStepVector(t: number): StepVector {
  return { t, ids: [], values: [] };
}
