/** The engine's public contract: what the datasource, the HTTP API and the CLI call. */
import type { Labels } from '../storage';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). */
  lookbackDeltaMs: number;
  /** Most samples a query may hold in memory at once (Prometheus' --query.max-samples). */
  maxSamples: number;
  /** A query running longer fails with a timeout error (Prometheus' --query.timeout). */
  timeoutMs: number;
  /** Step of a subquery written without one (`x[5m:]`) when no query step applies. */
  noStepSubqueryIntervalMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  lookbackDeltaMs: 5 * 60_000,
  maxSamples: 50_000_000,
  timeoutMs: 2 * 60_000,
  noStepSubqueryIntervalMs: 60_000,
};

export interface QueryOptions {
  signal?: AbortSignal;
  lookbackDeltaMs?: number;
}

/** Progress of a streamed query, reported while it runs. */
export interface QueryProgress {
  seriesDone: number;
  /** Output series of the query, once known (null before). */
  seriesTotal: number | null;
  samplesScanned: number;
}

export interface StreamOptions extends QueryOptions {
  onProgress?: (p: QueryProgress) => void;
}

/** A range query streamed series by series (sorted by labels), with the annotations at the end. */
export interface RangeStream {
  series: AsyncIterable<RangeSeries>;
  /** Resolves after the last series with the query's annotations. */
  annotations(): { warnings: string[]; infos: string[] };
}

export interface InstantSample {
  labels: Labels;
  t: number;
  v: number;
}

export interface RangeSeries {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

interface Annotated {
  /** Prometheus-style annotations ("PromQL warning: …", "PromQL info: …"). */
  warnings: string[];
  infos: string[];
}

export type QueryResultBody =
  | { resultType: 'scalar'; t: number; v: number }
  | { resultType: 'string'; t: number; v: string }
  | { resultType: 'vector'; samples: InstantSample[] }
  | { resultType: 'matrix'; series: RangeSeries[] };

export type QueryResult = Annotated & QueryResultBody;

/** Prometheus' HTTP API errorType values, which also pick the HTTP status. */
export type QueryErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

/** Every failure the engine reports; `message` is Prometheus' text where Prometheus has one. */
export class QueryError extends Error {
  constructor(
    readonly type: QueryErrorType,
    message: string
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
