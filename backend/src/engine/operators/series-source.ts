import type { Labels, LabelMatcher, SeriesData, Storage } from '../../storage';

/** The part of the store the engine reads (the engine never writes). */
export type Queryable = Pick<Storage, 'select'>;

/** Samples of one series, ascending in time; stale markers kept (the operators decide). */
export interface SeriesPoints {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export function selectSeries(
  queryable: Queryable,
  matchers: readonly LabelMatcher[],
  mint: number,
  maxt: number
): SeriesData[] {
  return Array.from(queryable.select(matchers, mint, maxt));
}
