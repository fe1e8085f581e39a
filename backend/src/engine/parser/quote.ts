/**
 * Go's strconv.Quote: double quotes, `\a \b \f \n \r \t \v \\ \"`, printable Unicode kept as is, other
 * runes as \xNN (below 0x80), \uNNNN or \UNNNNNNNN. Prometheus prints string literals and label
 * values this way, and the conformance runner sends those texts back to Sluice. Invalid bytes are
 * held as surrogate-escape characters (string-literal.ts) and printed as `\xNN`, as Go does.
 */
import { escapedByteOf } from './string-literal';

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

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const cp = ch.codePointAt(0) ?? 0;
    const byte = escapedByteOf(cp);
    if (byte !== null) {
      // A raw byte that is not valid UTF-8 (see string-literal.ts); strconv.Quote writes \xNN.
      out += '\\x' + byte.toString(16).padStart(2, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // Any other lone surrogate cannot come from a Go string; Go would print the replacement rune.
      out += '\\ufffd';
    } else if (PRINTABLE.test(ch)) {
      out += ch;
    } else if (cp < 0x80) {
      out += '\\x' + cp.toString(16).padStart(2, '0');
    } else if (cp <= 0xffff) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else {
      out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}
