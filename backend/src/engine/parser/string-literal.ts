/**
 * PromQL string literals follow Go's rules: "double" and 'single' quotes with escapes, `raw` in
 * backticks. JSON.parse would accept a different escape set, so they are decoded here.
 */
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

export class StringLiteralError extends Error {}

export function decodeStringLiteral(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) {
    throw new StringLiteralError(`unterminated string ${literal}`);
  }
  const body = literal.slice(1, -1);
  if (quote === '`') {
    return body;
  }
  if (quote !== '"' && quote !== "'") {
    throw new StringLiteralError(`not a string literal: ${literal}`);
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) {
      throw new StringLiteralError(`escape sequence not terminated in ${literal}`);
    }
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === quote) {
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
        throw new StringLiteralError(`invalid escape \\${e}${hex} in ${literal}`);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new StringLiteralError(`escape \\${e}${hex} is not a valid Unicode code point`);
      }
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += digits;
    } else if (e >= '0' && e <= '7') {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) {
        throw new StringLiteralError(`invalid octal escape \\${octal} in ${literal}`);
      }
      out += String.fromCharCode(parseInt(octal, 8));
      i += 2;
    } else {
      throw new StringLiteralError(`unknown escape sequence \\${e} in ${literal}`);
    }
  }
  return out;
}
