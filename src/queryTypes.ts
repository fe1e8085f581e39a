import { parseMinStep } from '../backend/src/datasource/promql-interval';
import { IntegerRules, isTemplateVariable, validateInteger } from './validation';
import type { QueryType, SluiceQuery } from './types';

/** One editable field of a query type. */
export interface IntegerFieldSpec<Q> extends IntegerRules {
  kind: 'integer';
  key: Extract<keyof Q, string>;
  label: string;
  description: string;
  placeholder?: string;
}

export interface TextFieldSpec<Q> {
  kind: 'text';
  key: Extract<keyof Q, string>;
  label: string;
  description: string;
  placeholder?: string;
  required?: boolean;
  /** An expression: a multi-line, monospaced editor. */
  multiline?: boolean;
  /** Stored when the field is emptied, and shown as empty (the legend's `__auto`). */
  emptyValue?: string;
  /** The message for a value that breaks the field's rules. */
  validate?: (text: string) => string | undefined;
}

export type QueryFieldSpec<Q> = IntegerFieldSpec<Q> | TextFieldSpec<Q>;

export interface QueryTypeSpec<Q extends SluiceQuery> {
  label: string;
  description: string;
  /** What a new query of this type starts with (refId and datasource are added by Grafana). */
  defaults: Omit<Q, 'refId'>;
  fields: Array<QueryFieldSpec<Q>>;
  /**
   * A variant of another type, chosen with a switch in that type's editor rather than in the type
   * list (PromQL instant of PromQL range); switching keeps the fields.
   */
  variantOf?: QueryType;
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

/** Grafana's "Min step": a duration, or the built-in `$__interval` / `$__rate_interval`, or a variable. */
function validateMinStep(text: string): string | undefined {
  return parseMinStep(text) !== undefined || isTemplateVariable(text)
    ? undefined
    : 'A duration such as 30s or 1m, $__rate_interval, or a template variable';
}

/** The fields of both PromQL types, so that switching between range and instant keeps them. */
const PROMQL_FIELDS = [
  {
    kind: 'text',
    key: 'expr',
    label: 'Expression',
    description: 'PromQL over the embedded store. Runs on blur and on Shift+Enter.',
    placeholder: 'sum by (instance) (rate(http_requests_total[$__rate_interval]))',
    required: true,
    multiline: true,
  },
  {
    kind: 'text',
    key: 'legendFormat',
    label: 'Legend',
    description: 'Series name: {{label}} is replaced by the label’s value. Empty: Grafana picks names from the labels.',
    placeholder: 'Auto',
    emptyValue: '__auto',
  },
  {
    kind: 'text',
    key: 'interval',
    label: 'Min step',
    description: 'Lower bound of the step between points, e.g. 30s. Empty: from the panel’s interval.',
    placeholder: 'auto',
    validate: validateMinStep,
  },
] as const;

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
  promql: {
    label: 'PromQL',
    description: 'A PromQL expression over the embedded store: one time series per result series.',
    defaults: { queryType: 'promql', expr: '', legendFormat: '__auto' },
    fields: [...PROMQL_FIELDS, CHUNK_ROWS_FIELD],
  },
  'promql-instant': {
    label: 'PromQL (instant)',
    description: 'A PromQL expression evaluated once, at the end of the time range: one value per series.',
    defaults: { queryType: 'promql-instant', expr: '', legendFormat: '__auto' },
    fields: [...PROMQL_FIELDS, CHUNK_ROWS_FIELD],
    variantOf: 'promql',
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
    const value = fieldValue(query, field.key);
    const message = field.kind === 'integer' ? validateInteger(value, field) : validateText(value, field);
    if (message) {
      errors[field.key] = message;
    }
  }
  return errors;
}

function validateText(value: unknown, field: TextFieldSpec<SluiceQuery>): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return field.required ? 'Required' : undefined;
  }
  if (typeof value !== 'string') {
    return 'Must be text';
  }
  return field.validate?.(value);
}

/** A query that cannot run yet: a required field of its type is missing. */
export function isIncompleteQuery(query: Partial<SluiceQuery>): boolean {
  return (querySpec(query.queryType)?.fields ?? []).some((field) => {
    const value = fieldValue(query, field.key);
    return field.required && (value === undefined || value === null || String(value).trim() === '');
  });
}

/** A field of any query by name; the specs name fields as strings. */
export function fieldValue(query: Partial<SluiceQuery>, key: string): unknown {
  return (query as Record<string, unknown>)[key];
}
