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
 * Every Sluice query, discriminated by queryType. The store and engine issues add their members
 * here (`samples`, `promql`, `promql-instant`); QUERY_TYPES in queryTypes.ts must then describe
 * them, or the build fails.
 */
export type SluiceQuery = SyntheticQuery;

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
  };
}
