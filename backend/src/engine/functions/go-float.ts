/**
 * Go's float text conventions, which Prometheus' annotation texts and `le` parsing depend on:
 * strconv.ParseFloat, fmt's %g / %.Ng / %f and labels.FormatOpenMetricsFloat.
 */

const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const DECIMAL = /^[+-]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?|\.[0-9a-fA-F_]+))[pP]([+-]?[0-9_]+)$/;

/** Go's strconv.ParseFloat(s, 64), or undefined where it returns an error (syntax or overflow). */
export function parseGoFloat(s: string): number | undefined {
  const special = SPECIAL.exec(s);
  if (special) {
    if (special[2].toLowerCase() === 'nan') {
      return special[1] === '' ? NaN : undefined;
    }
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (s.includes('_') && !underscoresOk(s)) {
    return undefined;
  }
  const plain = s.replace(/_/g, '');
  let value: number;
  if (DECIMAL.test(s)) {
    value = Number(plain);
  } else {
    const hex = HEX.exec(plain);
    if (!hex) {
      return undefined;
    }
    value = parseHexFloat(hex[1] === '-', hex[2], Number(hex[3]));
  }
  // Go reports an overflow to ±Inf as a range error.
  return Number.isFinite(value) ? value : undefined;
}

function parseHexFloat(negative: boolean, mantissa: string, exponent: number): number {
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const fractionDigits = dot < 0 ? 0 : mantissa.length - dot - 1;
  let value = 0;
  for (const d of digits) {
    value = value * 16 + parseInt(d, 16);
  }
  value *= Math.pow(2, exponent - 4 * fractionDigits);
  return negative ? -value : value;
}

/** Go's rule: an underscore must sit between digits (or right after a 0x prefix). */
function underscoresOk(s: string): boolean {
  let rest = s.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[xXbBoO]/.test(rest)) {
    hex = /^0[xX]/.test(rest);
    rest = rest.slice(2);
    saw = '0';
  }
  for (const ch of rest) {
    if (/[0-9]/.test(ch) || (hex && /[a-fA-F]/.test(ch))) {
      saw = '0';
    } else if (ch === '_') {
      if (saw !== '0') {
        return false;
      }
      saw = '_';
    } else {
      if (saw === '_') {
        return false;
      }
      saw = '!';
    }
  }
  return saw !== '_';
}

/** The exact decimal digits of a finite non-zero |f| and the decimal exponent of the first digit. */
function exactDigits(f: number): { digits: string; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(f));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const e2 = exponentBits === 0 ? -1074 : exponentBits - 1075;
  // f = mantissa · 2^e2 = mantissa · 5^-e2 / 10^-e2 for negative e2.
  const digits = e2 >= 0 ? (mantissa << BigInt(e2)).toString() : (mantissa * 5n ** BigInt(-e2)).toString();
  const pointShift = e2 >= 0 ? 0 : -e2;
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed, exp: digits.length - 1 - pointShift };
}

/**
 * Significant digits and decimal exponent of a finite non-zero |f|: the shortest that round-trips, or
 * rounded to `precision` digits half to even on the exact value, as Go's strconv does.
 */
function decimalDigits(f: number, precision?: number): { digits: string; exp: number } {
  if (precision === undefined) {
    const [mantissa, exponent] = Math.abs(f).toExponential().split('e');
    return { digits: mantissa.replace('.', '').replace(/0+$/, '') || '0', exp: Number(exponent) };
  }
  const { digits, exp } = exactDigits(f);
  if (digits.length <= precision) {
    return { digits, exp };
  }
  const head = digits.slice(0, precision);
  const next = digits[precision];
  const tail = digits.slice(precision + 1);
  const roundUp = next > '5' || (next === '5' && (/[1-9]/.test(tail) || Number(head[head.length - 1]) % 2 === 1));
  if (!roundUp) {
    return { digits: head.replace(/0+$/, '') || '0', exp };
  }
  const incremented = (BigInt(head) + 1n).toString();
  const carried = incremented.length > head.length;
  return { digits: incremented.replace(/0+$/, '') || '0', exp: carried ? exp + 1 : exp };
}

/**
 * Go's %g (shortest representation) when `precision` is undefined, %.<precision>g otherwise:
 * exponent form for exponents below -4 or from the precision (6 for shortest) up, as in "1e+06".
 */
export function formatGoFloat(f: number, precision?: number): string {
  if (Number.isNaN(f)) {
    return 'NaN';
  }
  if (f === Infinity) {
    return '+Inf';
  }
  if (f === -Infinity) {
    return '-Inf';
  }
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  if (f === 0) {
    return `${sign}0`;
  }
  const { digits, exp } = decimalDigits(f, precision);
  let eprec = precision === undefined ? 6 : precision;
  if (precision !== undefined && eprec > digits.length && digits.length >= exp + 1) {
    eprec = digits.length;
  }
  if (exp < -4 || exp >= eprec) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) {
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  if (digits.length <= exp + 1) {
    return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  }
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's %f (six decimals), used by the double_exponential_smoothing errors. */
export function formatGoFixed(f: number): string {
  if (Number.isNaN(f)) {
    return 'NaN';
  }
  if (f === Infinity) {
    return '+Inf';
  }
  if (f === -Infinity) {
    return '-Inf';
  }
  return f.toFixed(6);
}

/** labels.FormatOpenMetricsFloat: %g with ".0" appended to integral values ("1.0", "0.25", "+Inf"). */
export function formatOpenMetricsFloat(f: number): string {
  const s = formatGoFloat(f);
  if (!Number.isFinite(f) || /[.e]/.test(s)) {
    return s;
  }
  return `${s}.0`;
}
