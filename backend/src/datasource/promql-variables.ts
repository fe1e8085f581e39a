import { parseSeriesSelector, SelectorError } from '../engine/parser/selector';
import type { PromQLEngine } from '../engine';
import { QueryError } from '../runtime/errors';
import { MatcherError, type LabelMatcher, type Storage } from '../storage';
import { queryErrorOf } from './promql';
import type { DatasourceSettings } from './settings';
import type { VariableValue } from './variables';

/**
 * The template-variable queries of Grafana's Prometheus datasource, over the embedded store:
 * `label_names()`, `label_values(label)`, `label_values(selector, label)`, `metrics(regex)` and
 * `query_result(expr)`, so dashboards that use them carry over.
 */
export interface PromQLVariableContext {
  storage: () => Storage;
  engine: () => PromQLEngine;
  settings: DatasourceSettings;
  /** End of the dashboard's time range: where query_result evaluates. */
  timeMs: number;
  signal: AbortSignal;
}

const LABEL_NAMES = /^label_names\(\s*\)$/;
const LABEL_VALUES = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/;
const METRICS = /^metrics\((.+)\)$/;
const QUERY_RESULT = /^query_result\((.+)\)$/;

export const PROMQL_VARIABLE_QUERIES = [
  'label_names()',
  'label_values([selector,] label)',
  'metrics(regex)',
  'query_result(expr)',
];

/** Undefined when `query` is none of these forms. */
export async function promqlVariableValues(
  query: string,
  ctx: PromQLVariableContext
): Promise<VariableValue[] | undefined> {
  const text = query.trim();
  if (LABEL_NAMES.test(text)) {
    return values(ctx.storage().labelNames());
  }
  const labelValues = LABEL_VALUES.exec(text);
  if (labelValues) {
    const [, selector, label] = labelValues;
    return values(ctx.storage().labelValues(label, selector ? matchers(selector) : undefined));
  }
  const metrics = METRICS.exec(text);
  if (metrics) {
    const pattern = regex(metrics[1].trim());
    return values(
      ctx
        .storage()
        .labelValues('__name__')
        .filter((name) => pattern.test(name))
    );
  }
  const queryResult = QUERY_RESULT.exec(text);
  if (queryResult) {
    return queryResultValues(queryResult[1], ctx);
  }
  return undefined;
}

/**
 * One value per result element, written exactly like Grafana's Prometheus datasource, because
 * dashboards cut values out of it with a regex: `name{a="x",b="y"} value timestamp_ms`.
 */
async function queryResultValues(expr: string, ctx: PromQLVariableContext): Promise<VariableValue[]> {
  let result;
  try {
    result = await ctx.engine().instantQuery(expr, ctx.timeMs, {
      signal: ctx.signal,
      lookbackDeltaMs: ctx.settings.lookbackDeltaMs,
    });
  } catch (error) {
    throw queryErrorOf(error, ctx.settings, ctx.signal);
  }
  switch (result.resultType) {
    case 'scalar':
    case 'string':
      return values([String(result.v)]);
    case 'vector':
      return values(
        result.samples.map((s) => {
          const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
          const rest = s.labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}="${l.value}"`);
          return `${name}{${rest.join(',')}} ${s.v} ${s.t}`;
        })
      );
    case 'matrix':
      throw QueryError.badRequest('query_result needs an expression with an instant result, not a range vector');
  }
}

function values(texts: string[]): VariableValue[] {
  return texts.map((text) => ({ text, value: text }));
}

function matchers(selector: string): LabelMatcher[] {
  try {
    return parseSeriesSelector(selector.trim());
  } catch (error) {
    if (error instanceof SelectorError || error instanceof MatcherError) {
      throw QueryError.badRequest(`invalid selector ${JSON.stringify(selector.trim())}: ${error.message}`);
    }
    throw error;
  }
}

/** metrics(regex): a fully anchored regular expression over metric names, as Prometheus matches. */
function regex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw QueryError.badRequest(
      `metrics(): invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`
    );
  }
}
