/** Compares two `query_range` answers (matrix results) series by series and point by point. */

export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface ParsedAnswer {
  ok: boolean;
  error?: string;
  series: MatrixSeries[];
  points: number;
}

export function parseAnswer(status: number, body: Buffer): ParsedAnswer {
  let parsed: {
    status?: string;
    error?: string;
    errorType?: string;
    data?: { resultType?: string; result?: MatrixSeries[] };
  };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false, error: `HTTP ${status}: ${body.toString('utf8').slice(0, 300)}`, series: [], points: 0 };
  }
  if (parsed.status !== 'success' || parsed.data?.resultType !== 'matrix' || !Array.isArray(parsed.data.result)) {
    const why = parsed.error ? `${parsed.errorType}: ${parsed.error}` : `resultType ${parsed.data?.resultType}`;
    return { ok: false, error: `HTTP ${status}: ${why}`, series: [], points: 0 };
  }
  const series = parsed.data.result;
  return { ok: true, series, points: series.reduce((n, s) => n + s.values.length, 0) };
}

function key(metric: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((k) => [k, metric[k]])
  );
}

/** Prometheus' float text: Go's strconv, with NaN, +Inf and -Inf spelled out. */
export function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export const RELATIVE_TOLERANCE = 1e-6;
/** Below this absolute difference values count as equal (sums that cancel to ~0 in another order). */
export const ABSOLUTE_TOLERANCE = 1e-12;

export function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= ABSOLUTE_TOLERANCE || diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

export interface Comparison {
  match: boolean;
  /** How the answers were compared, and why they count as equal or not. */
  detail: string;
  seriesOnlyInSluice: number;
  seriesOnlyInPrometheus: number;
  pointsCompared: number;
  pointsDiffering: number;
  /** Differing points at timestamps where a known semantic difference was expected (see QuerySpec). */
  pointsDifferingExpected: number;
  /** A few differences, for the report. */
  examples: string[];
}

/**
 * Series are matched by their label sets; matched series must have the same timestamps and values
 * within RELATIVE_TOLERANCE. With `tieAware` (topk/bottomk), answers whose series differ still match
 * when every step holds the same multiset of values: the k-th place was a tie, and Prometheus' choice
 * among equal values depends on its heap order, which no other engine can be expected to repeat.
 */
export function compare(
  sluice: ParsedAnswer,
  prometheus: ParsedAnswer,
  options: { tieAware?: boolean; expectedAt?: (t: number) => boolean; expectedWhy?: string } = {}
): Comparison {
  const result: Comparison = {
    match: true,
    detail: 'same series, values within tolerance',
    seriesOnlyInSluice: 0,
    seriesOnlyInPrometheus: 0,
    pointsCompared: 0,
    pointsDiffering: 0,
    pointsDifferingExpected: 0,
    examples: [],
  };
  const note = (text: string): void => {
    if (result.examples.length < 5) result.examples.push(text);
  };
  const theirs = new Map(prometheus.series.map((s) => [key(s.metric), s]));
  const ours = new Map(sluice.series.map((s) => [key(s.metric), s]));
  for (const [k] of ours) {
    if (!theirs.has(k)) {
      result.seriesOnlyInSluice++;
      note(`series only in Sluice: ${k}`);
    }
  }
  for (const [k] of theirs) {
    if (!ours.has(k)) {
      result.seriesOnlyInPrometheus++;
      note(`series only in Prometheus: ${k}`);
    }
  }
  for (const [k, mine] of ours) {
    const other = theirs.get(k);
    if (!other) continue;
    const at = new Map(other.values.map(([t, v]) => [t, v]));
    const seen = new Set<number>();
    for (const [t, v] of mine.values) {
      result.pointsCompared++;
      seen.add(t);
      const w = at.get(t);
      if (w === undefined) {
        result.pointsDiffering++;
        note(`${k} @${t}: Sluice ${v}, Prometheus has no point`);
      } else if (!close(parseValue(v), parseValue(w))) {
        result.pointsDiffering++;
        if (options.expectedAt?.(t)) result.pointsDifferingExpected++;
        note(`${k} @${t}: Sluice ${v}, Prometheus ${w}`);
      }
    }
    for (const [t, w] of other.values) {
      if (!seen.has(t)) {
        result.pointsCompared++;
        result.pointsDiffering++;
        note(`${k} @${t}: Prometheus ${w}, Sluice has no point`);
      }
    }
  }
  const seriesDiffer = result.seriesOnlyInSluice > 0 || result.seriesOnlyInPrometheus > 0;
  if (!seriesDiffer && result.pointsDiffering === 0) return result;
  if (!seriesDiffer && result.pointsDiffering === result.pointsDifferingExpected) {
    result.detail = `values differ only where expected: ${options.expectedWhy ?? 'known difference'}`;
    return result;
  }
  if (options.tieAware && valuesPerStepEqual(sluice, prometheus)) {
    result.detail = 'series differ only where values tie (same values at every step)';
    return result;
  }
  result.match = false;
  result.detail = seriesDiffer ? 'series differ' : 'values differ';
  return result;
}

function valuesPerStepEqual(a: ParsedAnswer, b: ParsedAnswer): boolean {
  const byStep = (answer: ParsedAnswer): Map<number, number[]> => {
    const steps = new Map<number, number[]>();
    for (const s of answer.series) {
      for (const [t, v] of s.values) {
        let list = steps.get(t);
        if (!list) steps.set(t, (list = []));
        list.push(parseValue(v));
      }
    }
    for (const list of steps.values()) list.sort((x, y) => x - y);
    return steps;
  };
  const x = byStep(a);
  const y = byStep(b);
  if (x.size !== y.size) return false;
  for (const [t, xs] of x) {
    const ys = y.get(t);
    if (!ys || ys.length !== xs.length) return false;
    for (let i = 0; i < xs.length; i++) if (!close(xs[i], ys[i])) return false;
  }
  return true;
}
