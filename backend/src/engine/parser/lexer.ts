/**
 * The parts of Prometheus' lexer (promql/parser/lex.go) whose error texts Sluice reproduces: lezer
 * recovers from errors silently, so for a rejected query the first error Prometheus' lexer would
 * raise is found here.
 */
import { goQuote, quoteRune } from './go-format';

export interface LexError {
  /** Where Prometheus reports the error (UTF-16 index). */
  at: number;
  /** Where the offending token starts, to compare with the parser's first error. */
  tokenStart: number;
  message: string;
}

/**
 * The first error Prometheus' lexer would raise: stray or unclosed brackets, characters that start
 * no token in their context (top level, inside braces, inside a range/subquery duration),
 * unterminated strings. Only called for queries lezer rejected, so it need not be exhaustive.
 */
export function findLexError(text: string): LexError | null {
  const stack: string[] = [];
  const err = (at: number, message: string, tokenStart = at): LexError => ({ at, tokenStart, message });
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const ctx = stack[stack.length - 1];
    if (/\s/.test(c)) {
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      if (ctx === '[') {
        return err(i, `unexpected character in duration expression: ${quoteRune(c)}`);
      }
      const end = c === '`' ? text.indexOf('`', i + 1) : quotedEnd(text, i);
      const problem = stringLiteralError(end < 0 ? text.slice(i) : text.slice(i, end + 1));
      if (problem !== null) {
        return err(i, problem);
      }
      i = end;
      continue;
    }
    if (ctx === '{') {
      if (/[A-Za-z_]/.test(c)) {
        while (i + 1 < text.length && /[A-Za-z0-9_]/.test(text[i + 1])) {
          i++;
        }
      } else if (c === '}') {
        stack.pop();
      } else if (c === '!' && text[i + 1] !== '=' && text[i + 1] !== '~') {
        return err(i, `unexpected character after '!' inside braces: ${quoteRune(text[i + 1] ?? '')}`);
      } else if (c === '{') {
        return err(i, `unexpected left brace ${quoteRune(c)}`);
      } else if (!/[,=!~]/.test(c)) {
        return err(i, `unexpected character inside braces: ${quoteRune(c)}`);
      }
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const scanned = scanNumberOrDuration(text, i);
      if (scanned.error !== undefined) {
        return err(i, scanned.error);
      }
      i = scanned.end - 1;
      continue;
    }
    if (/[A-Za-z_:]/.test(c)) {
      while (i + 1 < text.length && /[A-Za-z0-9_:]/.test(text[i + 1])) {
        i++;
      }
      continue;
    }
    switch (c) {
      case '(':
      case '{':
        stack.push(c);
        break;
      case '[':
        if (ctx === '[') {
          return err(i, `unexpected left bracket ${quoteRune(c)}`);
        }
        stack.push(c);
        break;
      case ')':
        if (ctx !== '(') {
          return err(i + 1, `unexpected right parenthesis ${quoteRune(c)}`, i);
        }
        stack.pop();
        break;
      case ']':
        if (ctx !== '[') {
          return err(i, `unexpected right bracket ${quoteRune(c)}`);
        }
        stack.pop();
        break;
      case '}':
        return err(i, `unexpected character: ${quoteRune(c)}`);
      case '=':
        if (text[i + 1] === '~') {
          return err(i, `unexpected character after '=': ${quoteRune('~')}`);
        }
        if (text[i + 1] === '=') {
          i++;
        }
        break;
      case '!':
        if (text[i + 1] !== '=') {
          return err(i, `unexpected character after '!': ${quoteRune(text[i + 1] ?? '')}`);
        }
        i++;
        break;
      default:
        if (!/[,<>+\-*/%^@]/.test(c)) {
          return err(i, `unexpected character: ${quoteRune(c)}`);
        }
    }
  }
  const open = stack.pop();
  if (open === '(') {
    return err(text.length, 'unclosed left parenthesis');
  }
  if (open === '[') {
    const empty = text.slice(text.lastIndexOf('[') + 1).trim() === '';
    return err(text.length, empty ? 'unexpected end of input in duration expression' : 'unclosed left bracket');
  }
  if (open === '{') {
    return err(text.length, 'unexpected end of input inside braces');
  }
  return null;
}

const isAlphaNumeric = (ch: string): boolean => ch !== '' && /^[\p{L}\p{Nd}_]$/u.test(ch);

/**
 * Go's lexNumberOrDuration (promql/parser/lex.go): where a number or duration token ends, or the
 * error Prometheus reports for it, including model.ParseDuration's for misordered or unknown units.
 */
function scanNumberOrDuration(text: string, start: number): { end: number; error?: string } {
  let pos = start;
  const is = (valid: string): boolean => pos < text.length && valid.includes(text[pos]);
  const accept = (valid: string): boolean => (is(valid) ? (pos++, true) : false);
  const scanNumber = (): boolean => {
    let digits = '0123456789';
    if (accept('0') && accept('xX')) {
      accept('_');
      digits = '0123456789abcdefABCDEF';
    }
    accept('.');
    accept(digits);
    let dot = false;
    let exponent = false;
    while (is(digits + '._eE')) {
      if ((is('.') && dot) || (is('eE') && exponent)) {
        pos++;
        return false;
      }
      if (accept('.')) {
        dot = true;
        if (accept('_.') || digits.length > 10) {
          return false;
        }
      } else if (accept('eE')) {
        exponent = true;
        accept('+-');
        if (accept('._eE') || pos >= text.length) {
          return false;
        }
      } else if (accept('_')) {
        if (accept('._eE') || pos >= text.length) {
          return false;
        }
      } else {
        while (accept(digits)) {
          // absorb
        }
      }
    }
    return pos > start && !isAlphaNumeric(text[pos] ?? '');
  };
  if (scanNumber()) {
    return { end: pos };
  }
  const durationStart = start;
  const remainingDuration = (): boolean => {
    if (!accept('smhdwy')) {
      return false;
    }
    accept('s');
    while (accept('0123456789')) {
      while (accept('0123456789')) {
        // absorb
      }
      if (!accept('smhdw')) {
        return false;
      }
      accept('s');
    }
    const next = text[pos] ?? '';
    pos++;
    return !isAlphaNumeric(next);
  };
  if (remainingDuration()) {
    pos--;
    const error = durationError(text.slice(durationStart, pos));
    return error === null ? { end: pos } : { end: pos, error };
  }
  return {
    end: pos,
    error: `bad number or duration syntax: ${goQuote(text.slice(start, Math.min(pos, text.length)))}`,
  };
}

/**
 * Prometheus' lexer error for a string literal (promql/parser/lex.go lexString/lexEscape), or null
 * when it is well-formed: escapes are checked in order before the closing quote is looked for.
 */
export function stringLiteralError(raw: string): string | null {
  const quote = raw[0];
  if (quote === '`') {
    return raw.length >= 2 && raw.endsWith('`') ? null : 'unterminated raw string';
  }
  const hex = (ch: string | undefined): boolean => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
  const chars = [...raw];
  for (let i = 1; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === quote) {
      return null;
    }
    if (ch === '\n') {
      break;
    }
    if (ch !== '\\') {
      continue;
    }
    const e = chars[++i];
    if (e === undefined) {
      return 'escape sequence not terminated';
    }
    if ('abfnrtv\\'.includes(e) || e === quote) {
      continue;
    }
    let digits: number;
    let base: number;
    let max: number;
    if (/^[0-7]$/.test(e)) {
      [digits, base, max] = [3, 8, 255];
      i--;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      [digits, base, max] = e === 'x' ? [2, 16, 255] : e === 'u' ? [4, 16, 0x10ffff] : [8, 16, 0x10ffff];
    } else {
      return `unknown escape sequence ${runeName(e)}`;
    }
    let value = 0;
    for (let k = 0; k < digits; k++) {
      const d = chars[++i];
      if (d === undefined) {
        return 'escape sequence not terminated';
      }
      if (!(base === 8 ? /^[0-7]$/.test(d) : hex(d))) {
        return `illegal character ${runeName(d)} in escape sequence`;
      }
      value = value * base + parseInt(d, base);
    }
    if (value > max || (value >= 0xd800 && value < 0xe000)) {
      return 'escape sequence is an invalid Unicode code point';
    }
  }
  return 'unterminated quoted string';
}

/** Go's %#U: U+0071 'q'. */
function runeName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${quoteRune(ch)}`;
}

const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** model.ParseDuration's error for a duration token: digits and units, biggest unit first. */
function durationError(token: string): string | null {
  let lastUnit = -1;
  for (const [, digits, unit] of token.matchAll(/(\d*)(\D*)/g)) {
    if (digits === '' && unit === '') {
      continue;
    }
    if (digits === '' || unit === '') {
      return `not a valid duration string: ${goQuote(token)}`;
    }
    const order = UNIT_ORDER.indexOf(unit);
    if (order < 0) {
      return `unknown unit ${goQuote(unit)} in duration ${goQuote(token)}`;
    }
    if (order <= lastUnit) {
      return `not a valid duration string: ${goQuote(token)}`;
    }
    lastUnit = order;
  }
  return null;
}

export function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === text[start]) {
      return i;
    } else if (text[i] === '\n') {
      return -1;
    }
  }
  return -1;
}
