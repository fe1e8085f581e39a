/**
 * The step of a PromQL range query and the interval variables (`$__interval`, `$__rate_interval`,
 * `$__range`, …), computed the way Grafana's Prometheus datasource computes them (promlib's
 * models/query.go and intervalv2), so dashboards moved over from Prometheus draw the same.
 *
 * Pure, with no imports: the frontend uses this very file, so the `$__interval` it writes into an
 * expression is the step the backend runs that expression with.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/** Prometheus refuses a range query of more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11_000;
/** The scrape interval when the datasource names none (Grafana's Prometheus default). */
export const DEFAULT_SCRAPE_INTERVAL_MS = 15 * SECOND;
/** Grafana's resolution when a request carries no maxDataPoints. */
const DEFAULT_RESOLUTION = 1500;

const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: WEEK, y: YEAR };

/**
 * Grafana's interval syntax: `15s`, `1m30s`, `1.5h`, a bare number of seconds (`30`), optionally
 * prefixed with `>` as Grafana's "min interval" fields allow. Undefined when the text is none of these.
 */
export function parseIntervalMs(text: string): number | undefined {
  const trimmed = text.trim().replace(/^[<>]=?\s*/, '');
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * SECOND;
  }
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w|y))+$/.test(trimmed)) {
    return undefined;
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return Math.round(total);
}

/** Prometheus' duration text (model.Duration.String): `90s` → `1m30s`, `86400s` → `1d`, `0` → `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  if (rest <= 0) {
    return '0s';
  }
  let text = '';
  // Years and weeks only when exact: 90d reads better than 12w6d.
  for (const [unit, size, exact] of [
    ['y', YEAR, true],
    ['w', WEEK, true],
    ['d', DAY, false],
    ['h', HOUR, false],
    ['m', MINUTE, false],
    ['s', SECOND, false],
    ['ms', 1, false],
  ] as const) {
    if (exact && rest % size !== 0) {
      continue;
    }
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/**
 * Grafana's rounding of a computed interval to a "nice" one (intervalv2.roundInterval), so steps
 * are 15s, 30s, 1m, 5m… rather than 17.3s.
 */
export function roundInterval(ms: number): number {
  for (const [upTo, rounded] of ROUNDING) {
    if (ms <= upTo) {
      return rounded;
    }
  }
  return YEAR;
}

/** [upper bound, rounded value], from intervalv2.roundInterval. */
const ROUNDING: ReadonlyArray<readonly [number, number]> = [
  [10, 1],
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, SECOND],
  [3500, 2 * SECOND],
  [7500, 5 * SECOND],
  [12_500, 10 * SECOND],
  [17_500, 15 * SECOND],
  [25_000, 20 * SECOND],
  [45_000, 30 * SECOND],
  [90_000, MINUTE],
  [210_000, 2 * MINUTE],
  [450_000, 5 * MINUTE],
  [750_000, 10 * MINUTE],
  [1_050_000, 15 * MINUTE],
  [1_500_000, 20 * MINUTE],
  [2_700_000, 30 * MINUTE],
  [5_400_000, HOUR],
  [9_000_000, 2 * HOUR],
  [16_200_000, 3 * HOUR],
  [32_400_000, 6 * HOUR],
  [86_400_000, 12 * HOUR],
  [172_800_000, DAY],
  [604_800_000, DAY],
  [1_814_400_000, WEEK],
  [3_628_800_000 - 1, 30 * DAY],
];

/** The query's "Min step" (`interval`): nothing, a duration, or one of the built-in variables. */
export type MinStep =
  | { kind: 'none' }
  | { kind: 'duration'; ms: number }
  /** `$__interval` (or `_ms`) as min step: the computed step itself. */
  | { kind: 'interval' }
  /** `$__rate_interval` (or `_ms`) as min step: the step becomes the rate interval. */
  | { kind: 'rate_interval' };

/** Undefined when the text is neither empty, a duration nor a built-in interval variable. */
export function parseMinStep(text: string | undefined): MinStep | undefined {
  const trimmed = (text ?? '').trim();
  const variable = /^\$(?:\{(__\w+)\}|(__\w+))$/.exec(trimmed);
  const name = variable ? (variable[1] ?? variable[2]) : undefined;
  if (name === '__interval' || name === '__interval_ms') {
    return { kind: 'interval' };
  }
  if (name === '__rate_interval' || name === '__rate_interval_ms') {
    return { kind: 'rate_interval' };
  }
  if (trimmed === '') {
    return { kind: 'none' };
  }
  const ms = parseIntervalMs(trimmed);
  if (ms === undefined) {
    return undefined;
  }
  // Grafana stores an untouched min step as "0s": the same as none.
  return ms === 0 ? { kind: 'none' } : { kind: 'duration', ms };
}

export interface StepInputs {
  /** `to − from` of the query's time range. */
  rangeMs: number;
  /** Grafana's interval for the request (from panel width and min interval); 0 when unknown. */
  intervalMs: number;
  /** 0 when unknown. */
  maxDataPoints: number;
  minStep: MinStep;
  /** Grafana's "Resolution" 1/N; 1 when unset. */
  intervalFactor: number;
  /** The datasource's scrape interval (jsonData.timeInterval), else 15 s. */
  scrapeIntervalMs: number;
}

/**
 * The step: the min step, Grafana's interval and range ÷ maxDataPoints (rounded), whichever is
 * largest, and never so small that the range has more than 11,000 points; times the interval factor,
 * or the rate interval of all that when the min step is `$__rate_interval`.
 */
export function queryStepMs(inputs: StepInputs): number {
  const { rangeMs, intervalMs, maxDataPoints, minStep, scrapeIntervalMs } = inputs;
  // gtime.GetIntervalFrom: the min step, else Grafana's interval, else the scrape interval.
  const minInterval = minStep.kind === 'duration' ? minStep.ms : intervalMs > 0 ? intervalMs : scrapeIntervalMs;
  // Grafana's interval is never undercut (a min step smaller than it does not shrink the step).
  const lower = Math.max(minInterval, intervalMs);
  const byResolution = rangeMs / (maxDataPoints > 0 ? maxDataPoints : DEFAULT_RESOLUTION);
  const calculated = byResolution < lower ? lower : Math.max(lower, roundInterval(byResolution));
  const adjusted = Math.max(calculated, roundInterval(rangeMs / MAX_POINTS_PER_SERIES));
  const step =
    minStep.kind === 'rate_interval'
      ? rateIntervalMs(adjusted, scrapeIntervalMs)
      : adjusted * Math.max(1, Math.trunc(inputs.intervalFactor) || 1);
  // roundInterval may round range/11000 down, and the engine refuses more points than that.
  return Math.max(1, Math.round(step), Math.ceil(rangeMs / MAX_POINTS_PER_SERIES));
}

/** Grafana's `$__rate_interval`: max($__interval + scrape interval, 4 × scrape interval). */
export function rateIntervalMs(intervalMs: number, scrapeIntervalMs: number): number {
  return Math.max(intervalMs + scrapeIntervalMs, 4 * scrapeIntervalMs);
}

/**
 * The built-in variables' values for a query run with `stepMs` over `rangeMs` (undefined: not known,
 * the range variables are then left out). The scrape interval of `$__rate_interval` is the query's
 * min step when it has one, else the datasource's, as Grafana documents.
 */
export function intervalVariables(
  stepMs: number,
  rangeMs: number | undefined,
  minStep: MinStep,
  scrapeIntervalMs: number
): Record<string, string> {
  const scrape = minStep.kind === 'duration' ? minStep.ms : minStep.kind === 'interval' ? stepMs : scrapeIntervalMs;
  const rate = minStep.kind === 'rate_interval' ? stepMs : rateIntervalMs(stepMs, scrape);
  const variables: Record<string, string> = {
    __interval: formatDuration(stepMs),
    __interval_ms: String(stepMs),
    __rate_interval: formatDuration(rate),
    __rate_interval_ms: String(rate),
  };
  if (rangeMs !== undefined) {
    const seconds = Math.round(rangeMs / SECOND);
    Object.assign(variables, { __range: `${seconds}s`, __range_s: String(seconds), __range_ms: String(rangeMs) });
  }
  return variables;
}

/** Replaces `$__name` and `${__name}` for the names in `variables`; anything else is left as it is. */
export function interpolateIntervalVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$(?:\{(__\w+)\}|(__\w+))/g, (match, braced?: string, bare?: string) => {
    const value = variables[braced ?? bare ?? ''];
    return value === undefined ? match : value;
  });
}

/**
 * Rounds a time down to a multiple of the step, counted in the user's time zone (utcOffsetSec, as
 * Grafana's Prometheus datasource sends it), so a 1d step starts at local midnight and results cache.
 */
export function alignToStep(timeMs: number, stepMs: number, utcOffsetSec = 0): number {
  const offset = utcOffsetSec * SECOND;
  return Math.floor((timeMs + offset) / stepMs) * stepMs - offset;
}
