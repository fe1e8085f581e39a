import type { ScopedVars } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { interpolatePromQL, isPromQLQuery } from './promql/interpolate';
import { querySpec } from './queryTypes';
import type { SluiceQuery } from './types';
import { parseIntegerInput } from './validation';

/** Keys that name or route the query rather than parameterise it. */
const NOT_INTERPOLATED = new Set(['refId', 'queryType', 'key', 'datasource', 'hide']);
/** Resolved by interpolatePromQL, with Prometheus' escaping and interval rules. */
const PROMQL_KEYS = new Set(['expr', 'legendFormat', 'interval', 'intervalFactor']);

export interface InterpolationOptions {
  /** The datasource's scrape interval (jsonData.timeInterval), for `$__rate_interval`. */
  scrapeInterval?: string;
}

/**
 * Resolves template variables in every string field of the query. Integer fields may hold a
 * variable ("$rows"): once resolved to digits they become numbers, so the backend gets the same
 * model as if the number had been typed; anything else stays text for the backend to reject by name.
 * PromQL fields follow Grafana's Prometheus datasource (interpolatePromQL).
 */
export function interpolateQuery(
  query: SluiceQuery,
  scopedVars: ScopedVars,
  options: InterpolationOptions = {}
): SluiceQuery {
  const templateSrv = getTemplateSrv();
  const promql = isPromQLQuery(query);
  const integerKeys = new Set<string>(
    (querySpec(query.queryType)?.fields ?? []).filter((field) => field.kind === 'integer').map((field) => field.key)
  );
  const result: Record<string, unknown> = promql
    ? { ...interpolatePromQL(query, scopedVars, templateSrv, options.scrapeInterval) }
    : { ...query };
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string' || NOT_INTERPOLATED.has(key) || (promql && PROMQL_KEYS.has(key))) {
      continue;
    }
    const text = templateSrv.replace(value, scopedVars);
    if (!integerKeys.has(key)) {
      result[key] = text;
    } else if (parseIntegerInput(text) === undefined) {
      delete result[key];
    } else {
      result[key] = parseIntegerInput(text);
    }
  }
  return result as unknown as SluiceQuery;
}
