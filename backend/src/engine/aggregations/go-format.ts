/**
 * Go's number and string formatting where Prometheus' output texts depend on it: label values of
 * count_values and the numbers and names quoted in error and annotation messages.
 */

function special(x: number): string | null {
  if (Number.isNaN(x)) {
    return 'NaN';
  }
  if (x === Infinity) {
    return '+Inf';
  }
  if (x === -Infinity) {
    return '-Inf';
  }
  if (x === 0) {
    return Object.is(x, -0) ? '-0' : '0';
  }
  return null;
}

/** Shortest round-trip decimal digits (no dot) and the decimal exponent of the first digit. */
function shortestDigits(x: number): { negative: boolean; digits: string; exp: number } {
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  return { negative: x < 0, digits: mantissa.replace('.', ''), exp: Number(exponent) };
}

/** fmt's %g and %v for a float64 (shortest digits), as in Prometheus' messages. */
export function formatGoFloat(x: number): string {
  const s = special(x);
  if (s !== null) {
    return s;
  }
  const { negative, digits, exp } = shortestDigits(x);
  const sign = negative ? '-' : '';
  // With the shortest precision Go switches to exponent form outside [1e-4, 1e6).
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return sign + fixed(digits, exp);
}

/** strconv.FormatFloat(x, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatLabelValue(x: number): string {
  const s = special(x);
  if (s !== null) {
    return s;
  }
  const { negative, digits, exp } = shortestDigits(x);
  return (negative ? '-' : '') + fixed(digits, exp);
}

function fixed(digits: string, exp: number): string {
  if (exp < 0) {
    return `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  if (digits.length <= exp + 1) {
    return digits + '0'.repeat(exp + 1 - digits.length);
  }
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

const QUOTE_ESCAPES: Record<string, string> = {
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

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * A lone surrogate U+DC80..U+DCFF stands for a raw byte that is not valid UTF-8 (the "surrogate
 * escape" convention), which Go prints as \xNN.
 */
function escapedByte(code: number): number | null {
  return code >= 0xdc80 && code <= 0xdcff ? code - 0xdc00 : null;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const byte = escapedByte(code);
    if (QUOTE_ESCAPES[ch] !== undefined) {
      out += QUOTE_ESCAPES[ch];
    } else if (byte !== null) {
      out += `\\x${hex(byte, 2)}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // Other lone surrogates cannot come from UTF-8 input; Go would print the replacement rune.
      out += '\\ufffd';
    } else if (PRINTABLE.test(ch)) {
      out += ch;
    } else if (code < 0x80) {
      out += `\\x${hex(code, 2)}`;
    } else if (code < 0x10000) {
      out += `\\u${hex(code, 4)}`;
    } else {
      out += `\\U${hex(code, 8)}`;
    }
  }
  return `${out}"`;
}

/** Whether a JS string is well-formed UTF-16, i.e. stands for valid UTF-8 (Go's utf8.ValidString). */
export function isValidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        return false;
      }
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
