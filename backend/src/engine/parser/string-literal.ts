/**
 * PromQL string literals follow Go's rules: "double" and 'single' quotes with escapes, `raw` in
 * backticks. JSON.parse would accept a different escape set, so they are decoded here.
 *
 * Go strings are byte strings: `"\xff"` is the single byte 0xFF, which is not valid UTF-8, while
 * `"\xc3\xa4"` is the two bytes of "ä". A JS string cannot hold raw bytes, so decoded literals use
 * the "surrogate escape" convention: the byte sequence is decoded as UTF-8, and every byte Go's
 * decoder rejects becomes the lone surrogate U+DC80+(byte-0x80) (i.e. U+DC00+byte). A lone
 * surrogate is never a valid character, so such a string still fails every "valid UTF-8" check the
 * way Go's does, and go-format.ts prints it back as `\xNN` like strconv.Quote.
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

/** The lone surrogate standing for a byte that is not part of valid UTF-8 (0x80..0xFF). */
export function escapedByteChar(byte: number): string {
  return String.fromCharCode(0xdc00 + byte);
}

/** The raw byte a surrogate-escape character stands for, or null for any other UTF-16 unit. */
export function escapedByteOf(code: number): number | null {
  return code >= 0xdc80 && code <= 0xdcff ? code - 0xdc00 : null;
}

/** Go's utf8.ValidString for a decoded literal: no lone surrogate (so no invalid byte). */
export function isValidUtf8(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

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
  // Bytes from consecutive \x and octal escapes, decoded together so that "\xc3\xa4" is "ä". A run
  // cannot combine with a neighbouring character: every whole UTF-8 character starts with a byte
  // that is not a continuation byte, and ends complete.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += decodeGoBytes(bytes);
      bytes = [];
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) {
      throw new StringLiteralError(`escape sequence not terminated in ${literal}`);
    }
    if (e === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new StringLiteralError(`invalid escape \\x${hex} in ${literal}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) {
        throw new StringLiteralError(`invalid octal escape \\${octal} in ${literal}`);
      }
      bytes.push(parseInt(octal, 8));
      i += 2;
      continue;
    }
    flush();
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === quote) {
      out += e;
    } else if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
        throw new StringLiteralError(`invalid escape \\${e}${hex} in ${literal}`);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new StringLiteralError(`escape \\${e}${hex} is not a valid Unicode code point`);
      }
      out += String.fromCodePoint(code);
      i += digits;
    } else {
      throw new StringLiteralError(`unknown escape sequence \\${e} in ${literal}`);
    }
  }
  flush();
  return out;
}

/**
 * Decodes bytes as UTF-8 the way Go's utf8.DecodeRune does: a byte that does not start a complete,
 * shortest-form, non-surrogate sequence up to U+10FFFF is invalid on its own (one byte consumed),
 * and becomes its surrogate-escape character.
 */
export function decodeGoBytes(bytes: readonly number[]): string {
  let out = '';
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => k < bytes.length && bytes[k] >= lo && bytes[k] <= hi;
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    let size = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      size = cont(i + 1) ? 2 : 0;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      // E0 needs A0.. (no overlongs), ED ..9F (no UTF-16 surrogates).
      const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      size = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      // F0 needs 90.. (no overlongs), F4 ..8F (nothing above U+10FFFF).
      const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      size = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (size === 0) {
      out += escapedByteChar(b0);
      i++;
      continue;
    }
    let cp = b0 & (size === 2 ? 0x1f : size === 3 ? 0x0f : 0x07);
    for (let k = 1; k < size; k++) {
      cp = (cp << 6) | (bytes[i + k] & 0x3f);
    }
    out += String.fromCodePoint(cp);
    i += size;
  }
  return out;
}
