export type { Label, Labels } from './labels';
export { STALE_NAN, isStaleMarker } from './stale';
export type { SeriesSamples, AppendOutcome, SeriesData, StorageOptions, Storage } from './storage';
export { openStorage } from './storage';
export type { MatchType, LabelMatcher } from './matchers';
export { matchesValue, parseMatcher } from './matchers';
export { MatcherError } from './matcher-error';
