/**
 * Go's text forms of numbers and strings, which Prometheus' printed queries, label values, error and
 * annotation messages depend on: strconv.ParseFloat, strconv.FormatFloat and fmt's %g / %.Ng / %f,
 * labels.FormatOpenMetricsFloat, strconv.Quote and strconv.QuoteRune. The one place for them in
 * the engine; the parser owns it because its printer and messages need it first.
 */
import { escapedByteOf } from './string-literal';

// ---------------------------------------------------------------------------------------------------
// Parsing

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

// ---------------------------------------------------------------------------------------------------
// Formatting numbers

/** NaN and the infinities, written the same way by all of Go's float formats. */
function nonFinite(f: number): string | null {
  if (Number.isNaN(f)) {
    return 'NaN';
  }
  if (f === Infinity) {
    return '+Inf';
  }
  if (f === -Infinity) {
    return '-Inf';
  }
  return null;
}

/** NaN, the infinities and the zeros ("-0" too), as %g and FormatFloat write them; null for others. */
function nonFiniteOrZero(f: number): string | null {
  if (f === 0) {
    return Object.is(f, -0) ? '-0' : '0';
  }
  return nonFinite(f);
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

/** Digits (the first one at decimal exponent `exp`) written out without an exponent. */
function positional(digits: string, exp: number): string {
  if (exp < 0) {
    return `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  if (digits.length <= exp + 1) {
    return digits + '0'.repeat(exp + 1 - digits.length);
  }
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Go's %g and %v (shortest representation) when `precision` is undefined, %.<precision>g otherwise:
 * exponent form for exponents below -4 or from the precision (6 for shortest) up, as in "1e+06".
 */
export function formatGoFloat(f: number, precision?: number): string {
  const special = nonFiniteOrZero(f);
  if (special !== null) {
    return special;
  }
  const sign = f < 0 ? '-' : '';
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
  return sign + positional(digits, exp);
}

/**
 * strconv.FormatFloat(f, 'f', -1, 64): the shortest round-trip digits, never an exponent. Number
 * literals in printed queries and count_values' label values are written this way.
 */
export function formatFloat(f: number): string {
  const special = nonFiniteOrZero(f);
  if (special !== null) {
    return special;
  }
  const { digits, exp } = decimalDigits(f);
  return (f < 0 ? '-' : '') + positional(digits, exp);
}

/**
 * Go's %f: six decimals (rounded as JS's toFixed rounds; -0 loses its sign), `NaN`, `+Inf`, `-Inf`.
 * From 1e21 on Go writes all integer digits; with `jsExponentFrom1e21` such values come out as JS
 * writes them instead ("1e+21"), which is what double_exponential_smoothing's messages print.
 */
export function formatGoFixed(f: number, jsExponentFrom1e21 = false): string {
  const special = nonFinite(f);
  if (special !== null) {
    return special;
  }
  return jsExponentFrom1e21 || Math.abs(f) < 1e21 ? f.toFixed(6) : `${BigInt(f)}.000000`;
}

/** labels.FormatOpenMetricsFloat: %g with ".0" appended to integral values ("1.0", "0.25", "+Inf"). */
export function formatOpenMetricsFloat(f: number): string {
  const s = formatGoFloat(f);
  if (!Number.isFinite(f) || /[.e]/.test(s)) {
    return s;
  }
  return `${s}.0`;
}

// ---------------------------------------------------------------------------------------------------
// Quoting strings

const ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/**
 * Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII
 * space are printable; other separators, controls, format and unassigned/private code points not.
 */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Below U+0080 both quotings agree: escapes, printable ASCII as is, other controls as \xNN. */
function quote(s: string, escapeNonAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      out += cp < 0x20 || cp === 0x7f ? `\\x${hex(cp, 2)}` : ch;
      continue;
    }
    if (!escapeNonAscii) {
      out += ch;
      continue;
    }
    const byte = escapedByteOf(cp);
    if (byte !== null) {
      // A raw byte that is not valid UTF-8 (see string-literal.ts); strconv.Quote writes \xNN.
      out += `\\x${hex(byte, 2)}`;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // Any other lone surrogate cannot come from a Go string; Go would print the replacement rune.
      out += '\\ufffd';
    } else if (PRINTABLE.test(ch)) {
      out += ch;
    } else if (cp <= 0xffff) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

/**
 * Go's strconv.Quote (and %q): double quotes, `\a \b \f \n \r \t \v \\ \"`, printable Unicode kept as
 * is, other runes as \xNN (below 0x80), \uNNNN or \UNNNNNNNN. Invalid bytes, held as surrogate-escape
 * characters (string-literal.ts), print as `\xNN` like Go's. Prometheus prints string literals,
 * label values and names in messages this way, and the conformance runner sends those texts back.
 */
export function goQuote(s: string): string {
  return quote(s, true);
}

/**
 * The quoting of the functions' annotation texts: goQuote for ASCII, every other character (lone
 * surrogates too) kept as it is.
 */
export function goQuoteAsciiEscapes(s: string): string {
  return quote(s, false);
}

/** Go's string order: by UTF-8 bytes (JS compares UTF-16 units, which differs above U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go's strconv.QuoteRune: 'q', '\'', '"', '\n'. */
export function quoteRune(ch: string): string {
  const q = goQuote(ch).slice(1, -1).replace(/\\"/g, '"');
  return `'${q === "'" ? "\\'" : q}'`;
}
