import { parseSeriesSelector, SelectorError } from '../engine/parser/selector';
import { QueryError } from '../runtime/errors';
import { LabelMatcher, MatcherError, Storage } from '../storage';

/**
 * Label and series metadata in the shapes of Prometheus' HTTP API (`/api/v1/labels`,
 * `/api/v1/label/<name>/values`, `/api/v1/series`), for editor autocomplete and template variables.
 */
export function metadataResponse(storage: Storage, route: string, url: string): unknown | undefined {
  const params = new URL(url || '/', 'http://sluice.invalid').searchParams;
  const matchers = params.getAll('match[]').map(selectorMatchers);
  if (route === 'labels') {
    return success(union(matchers, (m) => storage.labelNames(m)));
  }
  const values = /^label\/([^/]+)\/values$/.exec(route);
  if (values) {
    return success(union(matchers, (m) => storage.labelValues(decodeURIComponent(values[1]), m)));
  }
  if (route === 'series') {
    if (matchers.length === 0) {
      throw QueryError.badRequest('series needs at least one match[] selector');
    }
    const start = time(params.get('start'), -Infinity);
    const end = time(params.get('end'), Infinity);
    const seen = new Map<string, Record<string, string>>();
    for (const m of matchers) {
      for (const series of storage.select(m, start, end)) {
        const labels = Object.fromEntries(series.labels.map((l) => [l.name, l.value]));
        seen.set(JSON.stringify(labels), labels);
      }
    }
    return success([...seen.values()]);
  }
  return undefined;
}

function union(matcherSets: LabelMatcher[][], list: (m?: LabelMatcher[]) => string[]): string[] {
  if (matcherSets.length === 0) {
    return list();
  }
  return [...new Set(matcherSets.flatMap((m) => list(m)))].sort();
}

function selectorMatchers(selector: string): LabelMatcher[] {
  try {
    return parseSeriesSelector(selector);
  } catch (error) {
    if (error instanceof SelectorError || error instanceof MatcherError) {
      throw QueryError.badRequest(`invalid match[] ${JSON.stringify(selector)}: ${error.message}`);
    }
    throw error;
  }
}

/** Prometheus accepts Unix seconds (possibly fractional) or RFC 3339. */
function time(value: string | null, fallback: number): number {
  if (value === null || value === '') {
    return fallback;
  }
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw QueryError.badRequest(`cannot parse ${JSON.stringify(value)} as a time`);
  }
  return ms;
}

function success(data: unknown): unknown {
  return { status: 'success', data };
}
