import { errorMessage, QueryError } from '../runtime/errors';
import { PROMQL_VARIABLE_QUERIES, PromQLVariableContext, promqlVariableValues } from './promql-variables';
import { SYNTHETIC_SERIES } from './synthetic';

export interface VariableValue {
  text: string;
  value: string;
}

/** Template-variable queries with a fixed answer. */
const VARIABLE_QUERIES: Record<string, () => VariableValue[]> = {
  series: () => Array.from({ length: SYNTHETIC_SERIES }, (_, i) => ({ text: `series-${i}`, value: `series-${i}` })),
};

/** What a variable query may need: the store and engine, and the dashboard's time range. */
export type VariableContext = Omit<PromQLVariableContext, 'timeMs'>;

/**
 * Body `{"query": "series", "from"?: ms, "to"?: ms}`: a fixed list, or one of Prometheus' variable
 * queries over the store (`label_values(job)`, `query_result(up)`, …).
 */
export async function variableValues(body: Uint8Array, ctx: VariableContext): Promise<VariableValue[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8') || '{}');
  } catch (error) {
    throw QueryError.badRequest(`request body is not valid JSON: ${errorMessage(error)}`);
  }
  const { query, to } = (parsed ?? {}) as { query?: unknown; to?: unknown };
  const fixed = typeof query === 'string' ? VARIABLE_QUERIES[query.trim()] : undefined;
  if (fixed) {
    return fixed();
  }
  const timeMs = to === undefined || to === null || to === '' ? Date.now() : Number(to);
  if (!Number.isFinite(timeMs)) {
    throw QueryError.badRequest(`"to" must be epoch milliseconds, got ${JSON.stringify(to)}`);
  }
  const promql = typeof query === 'string' ? await promqlVariableValues(query, { ...ctx, timeMs }) : undefined;
  if (!promql) {
    const supported = [...Object.keys(VARIABLE_QUERIES), ...PROMQL_VARIABLE_QUERIES].join(', ');
    throw QueryError.badRequest(`unknown variable query ${JSON.stringify(query)}: supported are ${supported}`);
  }
  return promql;
}
