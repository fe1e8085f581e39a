import { IntegerRules, validateInteger } from './validation';
import type { QueryType, SluiceQuery } from './types';

/** One editable field of a query type; `kind` leaves room for the text fields PromQL will need. */
export interface IntegerFieldSpec<Q> extends IntegerRules {
  kind: 'integer';
  key: Extract<keyof Q, string>;
  label: string;
  description: string;
  placeholder?: string;
}

export type QueryFieldSpec<Q> = IntegerFieldSpec<Q>;

export interface QueryTypeSpec<Q extends SluiceQuery> {
  label: string;
  description: string;
  /** What a new query of this type starts with (refId and datasource are added by Grafana). */
  defaults: Omit<Q, 'refId'>;
  fields: Array<QueryFieldSpec<Q>>;
}

type QueryTypeSpecs = { [T in QueryType]: QueryTypeSpec<Extract<SluiceQuery, { queryType: T }>> };

/** The backend's per-chunk row bounds (CHUNKING_LIMITS.chunkRows), shared by every query type. */
const CHUNK_ROWS_FIELD = {
  kind: 'integer',
  key: 'chunkRows',
  label: 'Chunk rows',
  description: "Rows per chunk for this query; empty uses the datasource's setting.",
  placeholder: 'datasource default',
  min: 1,
  max: 1_000_000,
  allowVariables: true,
} as const;

/**
 * Every query type the frontend knows, keyed by the SluiceQuery union: a member without an entry
 * here is a type error, so the editor's type list cannot fall behind the model.
 */
export const QUERY_TYPES: QueryTypeSpecs = {
  synthetic: {
    label: 'Synthetic',
    description: 'Deterministic generated rows (time, value, series) of any size, for load tests.',
    defaults: { queryType: 'synthetic', rows: 10_000, seed: 1 },
    fields: [
      {
        kind: 'integer',
        key: 'rows',
        label: 'Rows',
        description: 'Rows to generate. The backend caps this at its syntheticMaxRows setting.',
        min: 0,
        max: 1_000_000_000,
        required: true,
        allowVariables: true,
      },
      {
        kind: 'integer',
        key: 'seed',
        label: 'Seed',
        description: 'Same seed, same values. Empty means 1.',
        placeholder: '1',
        min: 0,
        max: 2 ** 32 - 1,
        allowVariables: true,
      },
      CHUNK_ROWS_FIELD,
    ],
  },
};

export const DEFAULT_QUERY_TYPE: QueryType = 'synthetic';

export function isKnownQueryType(value: unknown): value is QueryType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(QUERY_TYPES, value);
}

/** The spec of a query's type, typed loosely so callers can walk the fields of any member. */
export function querySpec(queryType: unknown): QueryTypeSpec<SluiceQuery> | undefined {
  return isKnownQueryType(queryType) ? (QUERY_TYPES[queryType] as QueryTypeSpec<SluiceQuery>) : undefined;
}

/** Field name → message, for every field of the query that breaks its rules; empty when valid. */
export function validateQuery(query: Partial<SluiceQuery>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of querySpec(query.queryType)?.fields ?? []) {
    const message = validateInteger(fieldValue(query, field.key), field);
    if (message) {
      errors[field.key] = message;
    }
  }
  return errors;
}

/** A query that cannot run yet: a required field of its type is missing. */
export function isIncompleteQuery(query: Partial<SluiceQuery>): boolean {
  return (querySpec(query.queryType)?.fields ?? []).some((field) => {
    const value = fieldValue(query, field.key);
    return field.required && (value === undefined || value === null || value === '');
  });
}

/** A field of any query by name; the specs name fields as strings. */
export function fieldValue(query: Partial<SluiceQuery>, key: string): unknown {
  return (query as Record<string, unknown>)[key];
}
