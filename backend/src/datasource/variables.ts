import { errorMessage, QueryError } from '../runtime/errors';
import { SYNTHETIC_SERIES } from './synthetic';

export interface VariableValue {
  text: string;
  value: string;
}

/** Template-variable queries the datasource answers; more arrive with the store (label values). */
const VARIABLE_QUERIES: Record<string, () => VariableValue[]> = {
  series: () => Array.from({ length: SYNTHETIC_SERIES }, (_, i) => ({ text: `series-${i}`, value: `series-${i}` })),
};

/** Body `{"query": "series"}`. */
export function variableValues(body: Uint8Array): VariableValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8') || '{}');
  } catch (error) {
    throw QueryError.badRequest(`request body is not valid JSON: ${errorMessage(error)}`);
  }
  const query = (parsed as { query?: unknown } | null)?.query;
  const run = typeof query === 'string' ? VARIABLE_QUERIES[query.trim()] : undefined;
  if (!run) {
    throw QueryError.badRequest(
      `unknown variable query ${JSON.stringify(query)}: supported are ${Object.keys(VARIABLE_QUERIES).join(', ')}`
    );
  }
  return run();
}
