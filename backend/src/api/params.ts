/**
 * Query parameters parsed the way Prometheus' HTTP API parses them (web/api/v1/api.go: parseTime,
 * parseDuration, parseLimitParam), with Prometheus' error texts, so that clients written against
 * Prometheus see the same answers. Times are kept in nanoseconds (bigint) until the end because
 * Prometheus compares them in nanoseconds (the 11,000-points check) and only then truncates to
 * milliseconds for the engine.
 */

/** A bad parameter; `message` is the complete text of Prometheus' `error` field. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Go's strconv.ParseFloat grammar for decimal numbers and the special words, as JS numbers. */
function goParseFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) {
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (/^nan$/i.test(s)) {
    return NaN;
  }
  // Hexadecimal floats (0x1p-2) are valid in Go too; nobody sends them as times, so they are left out.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    return undefined;
  }
  const v = Number(s);
  // Go reports a range error (and Prometheus then tries the next format) where JS overflows to ±Inf.
  return Number.isFinite(v) ? v : undefined;
}

/** math.Round: half away from zero (JS Math.round rounds half up). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Prometheus' parseTime: Unix seconds with decimals (rounded to milliseconds, with Go's exact float
 * steps) or RFC 3339 (nanoseconds). Returns nanoseconds since the epoch.
 */
export function parseTimeNs(s: string): bigint {
  const f = goParseFloat(s);
  // Prometheus accepts Inf and NaN here and turns them into nonsense times; we refuse them.
  if (f !== undefined && Number.isFinite(f)) {
    const sec = Math.trunc(f);
    const frac = f - sec;
    const ms = roundHalfAway(frac * 1000) / 1000;
    const nanos = Math.trunc(ms * 1e9);
    return BigInt(sec) * NS_PER_S + BigInt(nanos);
  }
  const t = parseRfc3339Ns(s);
  if (t !== undefined) {
    return t;
  }
  throw new ParamError(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

/** timestamp.FromTime: milliseconds, rounded towards minus infinity (Go's t.Nanosecond() is ≥ 0). */
export function nsToMs(ns: bigint): number {
  return Number(floorDiv(ns, NS_PER_MS));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** time.Parse(time.RFC3339Nano, s): a 4-digit year, `T`, optional fraction, `Z` or ±hh:mm. */
function parseRfc3339Ns(s: string): bigint | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) {
      return undefined;
    }
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  // Go reads every fraction digit but keeps nanoseconds.
  const fraction = BigInt(((m[7] ?? '') + '000000000').slice(0, 9));
  return BigInt(seconds) * NS_PER_S + fraction;
}

const UNIT_NS: Record<string, bigint> = {
  y: 365n * 24n * 3600n * NS_PER_S,
  w: 7n * 24n * 3600n * NS_PER_S,
  d: 24n * 3600n * NS_PER_S,
  h: 3600n * NS_PER_S,
  m: 60n * NS_PER_S,
  s: NS_PER_S,
  ms: NS_PER_MS,
};
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** prometheus/common model.ParseDuration (units y w d h m s ms, biggest first, each at most once). */
export function parsePromDurationNs(s: string): bigint | undefined {
  if (s === '0') {
    return 0n;
  }
  if (s === '') {
    return undefined;
  }
  let rest = s;
  let total = 0n;
  let lastUnit = -1;
  while (rest !== '') {
    const m = /^(\d+)([^\d]+)/.exec(rest);
    if (!m) {
      return undefined;
    }
    const unit = UNIT_ORDER.indexOf(m[2]);
    if (unit < 0 || unit <= lastUnit) {
      return undefined;
    }
    lastUnit = unit;
    total += BigInt(m[1]) * UNIT_NS[m[2]];
    if (total > INT64_MAX) {
      return undefined;
    }
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Prometheus' parseDuration: float seconds or a Prometheus duration. Returns nanoseconds. */
export function parseDurationNs(s: string): bigint {
  const f = goParseFloat(s);
  if (f !== undefined) {
    const ns = f * 1e9;
    if (Number.isNaN(ns) || ns >= 2 ** 63 || ns < -(2 ** 63)) {
      throw new ParamError(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    }
    return BigInt(Math.trunc(ns));
  }
  const d = parsePromDurationNs(s);
  if (d !== undefined) {
    return d;
  }
  throw new ParamError(`cannot parse ${goQuote(s)} to a valid duration`);
}

/** Go's time.Duration.String (e.g. 1h2m3.5s, 1.5ms, 0s), for error texts. */
export function goDurationString(ns: bigint): string {
  if (ns === 0n) {
    return '0s';
  }
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  const frac = (v: bigint, digits: number): string => {
    const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
    return s === '' ? '' : `.${s}`;
  };
  if (u < NS_PER_S) {
    if (u < 1000n) {
      return `${sign}${u}ns`;
    }
    if (u < NS_PER_MS) {
      return `${sign}${u / 1000n}${frac(u % 1000n, 3)}µs`;
    }
    return `${sign}${u / NS_PER_MS}${frac(u % NS_PER_MS, 6)}ms`;
  }
  let out = `${(u / NS_PER_S) % 60n}${frac(u % NS_PER_S, 9)}s`;
  u /= NS_PER_S;
  if (u >= 60n) {
    out = `${(u / 60n) % 60n}m${out}`;
    if (u >= 3600n) {
      out = `${u / 3600n}h${out}`;
    }
  }
  return sign + out;
}

/** strconv.Atoi as Prometheus' parseLimitParam uses it; the message is Go's error text. */
export function parseLimit(s: string): number {
  if (s === '') {
    return 0;
  }
  if (!/^[+-]?\d+$/.test(s)) {
    throw new ParamError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  }
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) {
    throw new ParamError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  if (v < 0n) {
    throw new ParamError('limit must be non-negative');
  }
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** Go's %q for the strings Prometheus quotes in messages (ASCII escapes; other code points as is). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        if (c < 0x20 || c === 0x7f) {
          out += `\\x${c.toString(16).padStart(2, '0')}`;
        } else if (c >= 0xd800 && c <= 0xdfff) {
          out += '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
        } else {
          out += ch;
        }
    }
  }
  return out + '"';
}

/** The parameters of an instant query, checked; times in milliseconds for the engine. */
export interface InstantParams {
  query: string;
  timeMs: number;
  timeoutMs?: number;
  lookbackDeltaMs?: number;
  limit: number;
}

export interface RangeParams {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  timeoutMs?: number;
  lookbackDeltaMs?: number;
  limit: number;
}

/** Form values as Go's r.FormValue gives them: the first value, "" when absent. */
export type FormValue = (name: string) => string;

function invalidParam(name: string, error: unknown): ParamError {
  const message = error instanceof Error ? error.message : String(error);
  return new ParamError(`invalid parameter ${goQuote(name)}: ${message}`);
}

function withParam<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw invalidParam(name, error);
  }
}

/** The per-query options shared by both endpoints, checked in Prometheus' order after the times. */
function commonOptions(form: FormValue): { timeoutMs?: number; lookbackDeltaMs?: number } {
  let timeoutMs: number | undefined;
  const timeout = form('timeout');
  if (timeout !== '') {
    const ns = withParam('timeout', () => parseDurationNs(timeout));
    if (ns <= 0n) {
      throw new ParamError(`invalid parameter "timeout": timeout must be positive, got ${goDurationString(ns)}`);
    }
    // A deadline below a millisecond still has to fire: round up.
    timeoutMs = Number((ns + NS_PER_MS - 1n) / NS_PER_MS);
  }
  let lookbackDeltaMs: number | undefined;
  const lookback = form('lookback_delta');
  if (lookback !== '') {
    let ns: bigint;
    try {
      ns = parseDurationNs(lookback);
    } catch (error) {
      throw new ParamError(`error parsing lookback delta duration: ${(error as Error).message}`);
    }
    // Prometheus uses its default for a zero or negative lookback delta.
    if (ns / NS_PER_MS > 0n) {
      lookbackDeltaMs = Number(ns / NS_PER_MS);
    }
  }
  return { timeoutMs, lookbackDeltaMs };
}

/** GET|POST /api/v1/query: query, time (default now), timeout, lookback_delta, limit. */
export function parseInstantParams(form: FormValue, nowMs: number): InstantParams {
  const limit = withParam('limit', () => parseLimit(form('limit')));
  const time = form('time');
  let timeMs = nowMs;
  if (time !== '') {
    timeMs = withParam('time', () => {
      try {
        return nsToMs(parseTimeNs(time));
      } catch (error) {
        throw new ParamError(`invalid time value for 'time': ${(error as Error).message}`);
      }
    });
  }
  return { query: form('query'), timeMs, limit, ...commonOptions(form) };
}

/** The most points per series a range query may return (Prometheus' limit). */
export const MAX_POINTS_PER_SERIES = 11_000n;

/** GET|POST /api/v1/query_range: query, start, end, step, timeout, lookback_delta, limit. */
export function parseRangeParams(form: FormValue): RangeParams {
  const limit = withParam('limit', () => parseLimit(form('limit')));
  const start = withParam('start', () => parseTimeNs(form('start')));
  const end = withParam('end', () => parseTimeNs(form('end')));
  if (end < start) {
    throw invalidParam('end', new Error('end timestamp must not be before start time'));
  }
  const step = withParam('step', () => parseDurationNs(form('step')));
  // Prometheus' engine truncates the step to milliseconds; a step under 1 ms would never advance.
  if (step <= 0n || step / NS_PER_MS === 0n) {
    throw invalidParam(
      'step',
      new Error('zero or negative query resolution step widths are not accepted. Try a positive integer')
    );
  }
  // end.Sub(start) saturates at the int64 range, then integer division, as in Go.
  let span = end - start;
  if (span > INT64_MAX) {
    span = INT64_MAX;
  }
  if (span / step > MAX_POINTS_PER_SERIES) {
    throw new ParamError(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'
    );
  }
  return {
    query: form('query'),
    startMs: nsToMs(start),
    endMs: nsToMs(end),
    stepMs: Number(step / NS_PER_MS),
    limit,
    ...commonOptions(form),
  };
}
