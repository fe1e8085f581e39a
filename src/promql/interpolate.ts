import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

// The backend's own step arithmetic (a pure module), so both sides agree on every interval.
import {
  DEFAULT_SCRAPE_INTERVAL_MS,
  interpolateIntervalVariables,
  intervalVariables,
  parseIntervalMs,
  parseMinStep,
  queryStepMs,
} from '../../backend/src/datasource/promql-interval';
import type { PromQLQuery } from '../types';

/**
 * Template variables in PromQL, as Grafana's Prometheus datasource resolves them.
 *
 * The built-in interval variables come first, from the step the backend will run the query at:
 * `$__interval` is that step, `$__rate_interval` is max($__interval + scrape interval, 4 × scrape
 * interval), `$__range` the time range. Grafana's own `$__interval` is the panel's interval, which a
 * min step can raise; using it would make `rate(x[$__interval])` disagree with the step. What cannot
 * be computed here (no interval or range in the scoped variables) is left for the backend, which
 * resolves the same variables the same way.
 *
 * Then the dashboard's variables: a single value as it is (backslashes and quotes escaped), a
 * multi-value or "All" variable as a regex alternation `(a|b)` with regex metacharacters escaped,
 * for `label=~"$var"`.
 */
export function interpolatePromQL(
  query: PromQLQuery,
  scopedVars: ScopedVars,
  templateSrv: TemplateSrv,
  scrapeInterval: string | undefined
): PromQLQuery {
  const result: PromQLQuery = { ...query };
  const minStepText = query.interval === undefined ? undefined : keepBuiltIns(query.interval, scopedVars, templateSrv);
  if (minStepText !== undefined) {
    result.interval = minStepText;
  }
  if (typeof query.legendFormat === 'string') {
    result.legendFormat = templateSrv.replace(query.legendFormat, scopedVars);
  }
  if (typeof query.intervalFactor === 'string') {
    const text = templateSrv.replace(query.intervalFactor, scopedVars);
    result.intervalFactor = /^\d+$/.test(text.trim()) ? Number(text) : text;
  }
  if (typeof query.expr === 'string') {
    const builtIns = builtInVariables(result, scopedVars, scrapeInterval);
    const expr = builtIns ? interpolateIntervalVariables(query.expr, builtIns) : query.expr;
    result.expr = templateSrv.replace(expr, scopedVars, prometheusFormat);
  }
  return result;
}

/** A min step of `$__interval` or `$__rate_interval` means "the step itself": the backend needs the name. */
function keepBuiltIns(text: string, scopedVars: ScopedVars, templateSrv: TemplateSrv): string {
  const minStep = parseMinStep(text);
  return minStep?.kind === 'interval' || minStep?.kind === 'rate_interval'
    ? text
    : templateSrv.replace(text, scopedVars);
}

function builtInVariables(
  query: PromQLQuery,
  scopedVars: ScopedVars,
  scrapeInterval: string | undefined
): Record<string, string> | undefined {
  const intervalMs = Number(scopedVars.__interval_ms?.value);
  const minStep = parseMinStep(query.interval);
  if (!(intervalMs > 0) || minStep === undefined) {
    return undefined;
  }
  const range = Number(scopedVars.__range_ms?.value);
  const rangeMs = range >= 0 ? range : undefined;
  const scrapeIntervalMs = (scrapeInterval && parseIntervalMs(scrapeInterval)) || DEFAULT_SCRAPE_INTERVAL_MS;
  const factor = typeof query.intervalFactor === 'number' ? query.intervalFactor : 1;
  const stepMs = queryStepMs({
    rangeMs: rangeMs ?? 0,
    intervalMs,
    // Grafana's interval already accounts for range ÷ maxDataPoints.
    maxDataPoints: 0,
    minStep,
    intervalFactor: factor,
    scrapeIntervalMs,
  });
  return intervalVariables(stepMs, rangeMs, minStep, scrapeIntervalMs);
}

/** What Grafana passes a format function: the variable's value(s) and the variable itself. */
type VariableLike = { multi?: boolean; includeAll?: boolean } | undefined;

export function prometheusFormat(value: string | string[], variable?: VariableLike): string {
  if (!variable?.multi && !variable?.includeAll) {
    return Array.isArray(value) ? value.map(prometheusRegularEscape).join(',') : prometheusRegularEscape(value);
  }
  const values = (Array.isArray(value) ? value : [value]).map(prometheusRegexEscape);
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

/** Inside a PromQL string: backslashes and single quotes escaped (Grafana's classic behaviour). */
export function prometheusRegularEscape(value: string): string {
  return String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/**
 * A literal inside a regex inside a PromQL string: each metacharacter gets a regex backslash, which
 * the string needs doubled (`a.b` → `a\\.b`); a backslash becomes four.
 */
export function prometheusRegexEscape(value: string): string {
  return String(value)
    .replace(/\\/g, '\\\\\\\\')
    .replace(/[$^*{}[\]+?.()|]/g, '\\\\$&');
}

/** Range variables Grafana's Prometheus datasource adds for every request. */
export function rangeScopedVars(fromMs: number, toMs: number): ScopedVars {
  const ms = toMs - fromMs;
  const seconds = Math.round(ms / 1000);
  return {
    __range_ms: { text: String(ms), value: ms },
    __range_s: { text: String(seconds), value: seconds },
    __range: { text: `${seconds}s`, value: `${seconds}s` },
  };
}

export function isPromQLQuery(query: { queryType?: unknown }): query is PromQLQuery {
  return query.queryType === 'promql' || query.queryType === 'promql-instant';
}
