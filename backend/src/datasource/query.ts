import { CHUNKING_LIMITS } from '../runtime/chunked/options';
import { QueryError } from '../runtime/errors';
import type { DataQuery } from '../runtime/handlers';
import { integerInRange } from './settings';

/** Fields every Sluice query model may carry, whatever its type. */
export interface QueryModel {
  queryType: string;
  /** Rows per chunk for this query, overriding the datasource's chunkRows. */
  chunkRows?: number;
  [key: string]: unknown;
}

export const QUERY_TYPES = ['synthetic', 'samples', 'promql', 'promql-instant'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** Parses a query's JSON model; problems are the query's own 400, never the request's. */
export function parseQueryModel(query: DataQuery): QueryModel & { queryType: QueryType } {
  let raw: unknown;
  try {
    raw = JSON.parse(query.json.length > 0 ? Buffer.from(query.json).toString('utf8') : '{}');
  } catch (error) {
    throw QueryError.badRequest(`invalid query JSON: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw QueryError.badRequest('invalid query JSON: the query model must be a JSON object');
  }
  const model = raw as Record<string, unknown>;
  // Grafana copies the model's queryType into DataQuery.queryType; either one will do.
  const queryType = query.queryType || (typeof model.queryType === 'string' ? model.queryType : '');
  if (!(QUERY_TYPES as readonly string[]).includes(queryType)) {
    throw QueryError.badRequest(
      `unknown queryType ${JSON.stringify(queryType)}: supported query types are ${QUERY_TYPES.join(', ')}`
    );
  }
  const chunkRows =
    model.chunkRows === undefined || model.chunkRows === null
      ? undefined
      : queryInteger('chunkRows', model.chunkRows, CHUNKING_LIMITS.chunkRows);
  return { ...model, queryType: queryType as QueryType, chunkRows };
}

export function queryInteger(name: string, value: unknown, range: { min: number; max: number }): number {
  return integerInRange(name, value, range, (message) => QueryError.badRequest(message));
}
