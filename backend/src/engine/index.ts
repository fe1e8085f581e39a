export { PromQLEngine } from './engine';
export { DEFAULT_ENGINE_OPTIONS, QueryError } from './api';
export type { EngineOptions, InstantSample, QueryErrorType, QueryOptions, QueryResult, RangeSeries } from './api';
export type { Queryable } from './operators/series-source';
