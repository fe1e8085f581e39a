/**
 * Number and duration literals with Go's rules: numbers go through strconv.ParseInt(s, 0, 64) first
 * (so `010` is octal and `0x1F` hex) and then strconv.ParseFloat; durations use Prometheus'
 * model.ParseDuration units (y w d h m s ms, biggest first).
 */

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
/** time.Duration is int64 nanoseconds: about 292 years. */
export const MAX_DURATION_SECONDS = 2 ** 63 / 1e9;

export function isDurationText(text: string): boolean {
  return text !== '' && /[a-z]$/.test(text) && DURATION_RE.test(text);
}

/** Milliseconds of a duration literal such as `1h30m`; throws a message string on overflow. */
export function parseDurationMs(text: string): number {
  const m = DURATION_RE.exec(text);
  if (!m || text === '') {
    throw new Error(`not a valid duration string: ${JSON.stringify(text)}`);
  }
  let ms = 0n;
  for (let i = 0; i < UNIT_MS.length; i++) {
    if (m[i + 1] !== undefined) {
      ms += BigInt(m[i + 1]) * BigInt(UNIT_MS[i]);
    }
  }
  if (ms * 1_000_000n > 2n ** 63n - 1n) {
    throw new Error('duration out of range');
  }
  return Number(ms);
}

/** Value of a number token (digits, hex, octal, float, Inf, NaN); null when Go would not parse it. */
export function parseNumberText(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') {
    return Infinity;
  }
  if (lower === 'nan') {
    return NaN;
  }
  // Go allows `_` between digits (1_000); the lexer already checked where they may stand.
  const digits = lower.replace(/_/g, '');
  if (/^0x[0-9a-f]+$/.test(digits)) {
    return Number(BigInt(digits));
  }
  if (/^0[0-7]+$/.test(digits)) {
    return Number(BigInt('0o' + digits.slice(1)));
  }
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(digits)) {
    return null;
  }
  return Number(digits);
}
