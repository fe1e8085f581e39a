import { QueryError } from '../runtime/errors';
import type { DataQuery } from '../runtime/handlers';
import {
  alignToStep,
  formatDuration,
  interpolateIntervalVariables,
  intervalVariables,
  MinStep,
  parseMinStep,
  queryStepMs,
} from './promql-interval';
import { queryInteger, QueryModel } from './query';
import type { DatasourceSettings } from './settings';

/**
 * The model of `promql` (range) and `promql-instant` queries, in the field names of Grafana's
 * Prometheus datasource so that its query JSON mostly carries over: `expr`, `legendFormat`,
 * `interval` (the "Min step"), `intervalFactor`, `utcOffsetSec`.
 */
export interface PromQLQuery {
  instant: boolean;
  /** As sent: the built-in interval variables are replaced when the step is known. */
  expr: string;
  legendFormat: string;
  minStep: MinStep;
  intervalFactor: number;
  /** The browser's offset from UTC: steps are aligned in the user's time zone. */
  utcOffsetSec: number;
}

export function parsePromQLQuery(model: QueryModel): PromQLQuery {
  const { expr, legendFormat, interval } = model;
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw QueryError.badRequest('expr is required: a PromQL expression such as rate(http_requests_total[5m])');
  }
  if (legendFormat !== undefined && legendFormat !== null && typeof legendFormat !== 'string') {
    throw QueryError.badRequest(`legendFormat must be text such as {{instance}}, got ${JSON.stringify(legendFormat)}`);
  }
  // Grafana's Prometheus editor stores the min step as text; a bare number means seconds there too.
  const minStepText = typeof interval === 'number' ? String(interval) : interval;
  const minStep =
    minStepText === undefined || minStepText === null || typeof minStepText === 'string'
      ? parseMinStep(minStepText ?? '')
      : undefined;
  if (minStep === undefined) {
    throw QueryError.badRequest(
      `interval (min step) must be a duration such as 30s or 1m, or $__interval / $__rate_interval, got ${JSON.stringify(interval)}`
    );
  }
  return {
    instant: model.queryType === 'promql-instant',
    expr,
    legendFormat: legendFormat ?? '',
    minStep,
    // 0 is what Grafana stores for "unset".
    intervalFactor: optionalInteger('intervalFactor', model.intervalFactor, { min: 0, max: 100 }) || 1,
    utcOffsetSec: optionalInteger('utcOffsetSec', model.utcOffsetSec, { min: -86_400, max: 86_400 }),
  };
}

function optionalInteger(name: string, value: unknown, range: { min: number; max: number }): number {
  return value === undefined || value === null || value === '' ? 0 : queryInteger(name, value, range);
}

/** What runs: the expression with its variables replaced, and where and how often it is evaluated. */
export interface PromQLPlan {
  expr: string;
  /** Range queries: the range aligned to the step. */
  startMs: number;
  endMs: number;
  stepMs: number;
  /** Instant queries: the end of the time range, not aligned (Grafana evaluates at that moment). */
  timeMs: number;
  /** For the query inspector, as Grafana's Prometheus datasource writes it. */
  executedQueryString: string;
}

export function planPromQL(query: DataQuery, promql: PromQLQuery, settings: DatasourceSettings): PromQLPlan {
  const { from, to } = query.timeRange;
  if (!(to >= from)) {
    throw QueryError.badRequest('the time range ends before it starts');
  }
  const rangeMs = to - from;
  const stepMs = queryStepMs({
    rangeMs,
    intervalMs: query.intervalMs,
    maxDataPoints: query.maxDataPoints,
    minStep: promql.minStep,
    intervalFactor: promql.intervalFactor,
    scrapeIntervalMs: settings.scrapeIntervalMs,
  });
  const variables = intervalVariables(stepMs, rangeMs, promql.minStep, settings.scrapeIntervalMs);
  const expr = interpolateIntervalVariables(promql.expr, variables);
  const startMs = alignToStep(from, stepMs, promql.utcOffsetSec);
  const endMs = alignToStep(to, stepMs, promql.utcOffsetSec);
  return {
    expr,
    startMs,
    endMs,
    stepMs,
    timeMs: to,
    executedQueryString: `Expr: ${expr}\nStep: ${formatDuration(stepMs)}`,
  };
}
