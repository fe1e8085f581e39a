export { PromQLEngine } from './engine';
export { DEFAULT_ENGINE_OPTIONS, QueryError } from './api';
export type { EngineOptions, InstantSample, QueryErrorType, QueryOptions, QueryResult, RangeSeries } from './api';
export type { Queryable } from './operators/series-source';
/** strconv.FormatFloat(v, 'f', -1, 64), as Prometheus prints values in JSON and label values. */
export { formatFloat } from './parser/go-format';
