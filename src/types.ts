import type { DataQuery, DataSourceJsonData } from '@grafana/data';

/**
 * A number in a query model that may also be a template variable ("$rows", "${rows}"). The query
 * keeps the text until applyTemplateVariables resolves it, so dashboards can drive sizes.
 */
export type IntegerOrVariable = number | string;

/** Fields every Sluice query may carry, whatever its type. */
interface SluiceQueryBase extends DataQuery {
  /** Rows per chunk for this query, overriding the datasource's chunkRows. */
  chunkRows?: IntegerOrVariable;
}

/** queryType `synthetic`: the backend's deterministic load generator. */
export interface SyntheticQuery extends SluiceQueryBase {
  queryType: 'synthetic';
  rows?: IntegerOrVariable;
  seed?: IntegerOrVariable;
}

/**
 * Fields of a PromQL query, named as in Grafana's Prometheus datasource so its query JSON carries
 * over. `$__interval`, `$__rate_interval` and `$__range` in `expr` are resolved with the step the
 * backend runs the query at.
 */
interface PromQLFields extends SluiceQueryBase {
  expr?: string;
  /** `{{label}}` placeholders; empty names series in Prometheus notation, `__auto` leaves it to Grafana. */
  legendFormat?: string;
  /** "Min step": a duration such as `30s`, or `$__interval` / `$__rate_interval`. */
  interval?: string;
  /** Grafana's "Resolution" 1/N: the step is multiplied by N. */
  intervalFactor?: IntegerOrVariable;
  /** Set when the query runs: steps are aligned in the user's time zone. */
  utcOffsetSec?: number;
}

/** queryType `promql`: a range query, one time series per result series. */
export interface PromQLRangeQuery extends PromQLFields {
  queryType: 'promql';
}

/** queryType `promql-instant`: evaluated once, at the end of the time range. */
export interface PromQLInstantQuery extends PromQLFields {
  queryType: 'promql-instant';
}

export type PromQLQuery = PromQLRangeQuery | PromQLInstantQuery;

/**
 * Every Sluice query, discriminated by queryType. New members (the store's `samples`) are added
 * here; QUERY_TYPES in queryTypes.ts must then describe them, or the build fails.
 */
export type SluiceQuery = SyntheticQuery | PromQLRangeQuery | PromQLInstantQuery;

export type QueryType = SluiceQuery['queryType'];

/** A query variable: free text that the backend's `POST resources/variables` understands. */
export interface SluiceVariableQuery extends DataQuery {
  query: string;
}

/** How query() reaches the backend; `auto` tries the best transport first and falls back. */
export type TransportPreference = 'auto' | 'jsonl' | 'resource' | 'unary';

/**
 * A setting as the config editor stores it: a number when valid; the text the user typed when
 * not, so the backend's own validation reports it on "Save & test" instead of an old value
 * being kept silently.
 */
export type IntegerSetting = number | string;

/** Datasource options (jsonData). Backend limits are validated by the backend with the same ranges. */
export interface SluiceOptions extends DataSourceJsonData {
  chunkRows?: IntegerSetting;
  flushIntervalMs?: IntegerSetting;
  maxChunkBytes?: IntegerSetting;
  maxUnaryBytes?: IntegerSetting;
  maxConcurrentQueries?: IntegerSetting;
  /** Browser-side: frames (series) kept per response. */
  maxFrames?: IntegerSetting;
  /** Browser-side: rows kept per query. */
  maxRowsPerQuery?: IntegerSetting;
  transport?: TransportPreference;
  /** PromQL: how far back an instant selector looks for a sample. */
  lookbackDeltaMs?: IntegerSetting;
  /** PromQL: a query running longer fails with 504. */
  queryTimeoutMs?: IntegerSetting;
  /** PromQL: most samples one query may hold in memory. */
  queryMaxSamples?: IntegerSetting;
  /** The scrape interval of the stored series (`15s`), as Grafana's Prometheus datasource names it. */
  timeInterval?: string;
}

/** `GET resources/settings`: what the backend runs with for this datasource. */
export interface BackendSettingsResponse {
  mode: 'plugin' | 'sidecar';
  version: string;
  settings: {
    chunkRows: number;
    maxChunkBytes: number;
    flushIntervalMs: number;
    maxUnaryBytes: number;
    maxConcurrentQueries: number;
    syntheticMaxRows: number;
    lookbackDeltaMs?: number;
    queryTimeoutMs?: number;
    queryMaxSamples?: number;
    scrapeIntervalMs?: number;
  };
}
