/**
 * Prometheus' JSON for query results, byte for byte: the encoders in web/api/v1/json_codec.go and
 * util/jsonutil (jsoniter with the standard library's escaping). Written by hand instead of through
 * JSON.stringify because Prometheus formats sample values as strings ("NaN", "+Inf", "1e-07") and
 * timestamps as exact decimal seconds ("1.500"), which no generic encoder produces. The values and
 * strings are formatted here; json-body.ts writes whole bodies from them.
 */
import type { Labels } from '../storage';
import { formatFloat } from '../engine';

/** The digits and decimal exponent of the shortest round-trip representation of a finite |v| > 0. */
function shortest(v: number): { digits: string; exp: number } {
  // toExponential() without an argument gives the shortest unique digits, as Go's -1 precision does.
  const [mantissa, exponent] = Math.abs(v).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exp: Number(exponent) };
}

/** strconv.FormatFloat(v, 'e', -1, 64): d.ddde±XX with at least two exponent digits. */
function formatFloatE(v: number): string {
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = shortest(v);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

/** jsonutil.MarshalFloat without the quotes: 'e' below 1e-6 and from 1e21 on, else 'f'. */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e-6 && abs < 1e21) {
    // In this range JavaScript prints the shortest round-trip digits in plain decimal notation,
    // exactly Go's FormatFloat(v, 'f', -1, 64), and far faster than splitting digits by hand.
    return String(v);
  }
  if (abs !== 0 && Number.isFinite(abs)) {
    return formatFloatE(v);
  }
  return formatFloat(v); // ±0, NaN, ±Inf
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * A JSON string as Go's encoding/json writes it (string results): HTML-sensitive characters and
 * U+2028/U+2029 as \u escapes, which JSON.stringify leaves alone.
 */
export function jsonString(s: string): string {
  const quoted = JSON.stringify(s);
  HTML_UNSAFE.lastIndex = 0;
  return HTML_UNSAFE.test(quoted) ? quoted.replace(HTML_UNSAFE, (ch) => HTML_ESCAPES[ch]) : quoted;
}

/** As jsoniter writes it (labels, annotations, errors): also backspace and form feed as \u0008/\u000c. */
export function jsoniterString(s: string): string {
  const quoted = jsonString(s);
  if (!quoted.includes('\\b') && !quoted.includes('\\f')) {
    return quoted;
  }
  // Escape pairs are consumed left to right, so an escaped backslash before a 'b' stays as it is.
  return quoted.replace(/\\(.)/g, (pair, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : pair));
}

export function labelsJson(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) out += ',';
    out += `${jsoniterString(labels[i].name)}:${jsoniterString(labels[i].value)}`;
  }
  return out + '}';
}

/** Prometheus' annotations limit (10 of each kind, then "N more … annotations omitted"); 0 = all. */
export function limitAnnotations(list: readonly string[], max: number, kind: 'warning' | 'info'): string[] {
  if (max <= 0 || list.length <= max) {
    return [...list];
  }
  return [...list.slice(0, max), `${list.length - max} more ${kind} annotations omitted`];
}

export function errorJson(errorType: string, message: string): string {
  return `{"status":"error","errorType":${jsoniterString(errorType)},"error":${jsoniterString(message)}}`;
}
