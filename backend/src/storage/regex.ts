/**
 * Compiles a Prometheus (RE2) label-matcher regex into a JavaScript RegExp, fully anchored as Prometheus
 * does (`^(?s:…)$`, so `.` also matches a newline), or rejects it with MatcherError when JavaScript would
 * not match it like RE2. The compiled RegExp uses the `su` flags (code-point semantics like RE2's UTF-8).
 *
 * Rejected (JS would parse them differently, or RE2 does not support them):
 *   - backreferences `\1`…`\9`, `\k<name>`                 (RE2: unsupported)
 *   - lookarounds `(?=`, `(?!`, `(?<=`, `(?<!`              (RE2: unsupported)
 *   - atomic groups `(?>` and possessive quantifiers `*+`, `++`, `?+`, `}+`
 *   - Unicode classes `\p…` / `\P…`                         (RE2 and JS name classes and scripts differently)
 *   - `\Q…\E` quoting, `\A`, `\z`, `\C`, `\x{…}`, octal `\0NN` / `\1NN`, `\pN` forms
 *   - POSIX classes `[[:alpha:]]`                           (JS reads them as plain characters)
 *   - inline flags other than one leading `(?i)`; `(?i)` at the very start becomes the `i` flag
 *   - `\S` inside a character class (RE2's `\s` is ASCII-only and is translated outside classes)
 *   - anything JS's `u`-mode parser rejects (e.g. `\-` outside a class, `x{,3}`), and `{n,m}` over 1000
 * Translated: `\s` → `[\t\n\f\r ]` (and inside a class its members), `\S` → `[^\t\n\f\r ]`, `(?P<name>` → `(?<name>`.
 */
import { MatcherError } from './matcher-error';

const RE2_SPACE = '\\t\\n\\f\\r ';

export function compileRegex(source: string): RegExp {
  let flags = 'su';
  let src = source;
  if (src.startsWith('(?i)')) {
    flags += 'i';
    src = src.slice(4);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) {
        throw new MatcherError(`invalid regex ${JSON.stringify(source)}: trailing backslash`);
      }
      if (/[1-9kpPQEAzC]/.test(n) || (n === '0' && /[0-7]/.test(src[i + 2] ?? ''))) {
        throw new MatcherError(`unsupported regex escape \\${n} in ${JSON.stringify(source)}`);
      }
      if (n === 'x' && src[i + 2] === '{') {
        throw new MatcherError(`unsupported regex escape \\x{…} in ${JSON.stringify(source)}`);
      }
      if (n === 's') {
        out += inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      } else if (n === 'S') {
        if (inClass) {
          throw new MatcherError(`unsupported \\S inside a character class in ${JSON.stringify(source)}`);
        }
        out += `[^${RE2_SPACE}]`;
      } else {
        out += c + n;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        throw new MatcherError(`POSIX character classes are not supported in ${JSON.stringify(source)}`);
      }
      if (c === ']') {
        inClass = false;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // a leading ']' (or '^]') is a literal in RE2
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith(':')) {
        out += '(?:';
        i += 2;
        continue;
      }
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!')) {
        out += '(?<';
        i += 2;
        continue;
      }
      throw new MatcherError(`unsupported group syntax '(?${rest.slice(0, 2)}' in ${JSON.stringify(source)}`);
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && src[i + 1] === '+') {
      throw new MatcherError(`possessive quantifiers are not supported in ${JSON.stringify(source)}`);
    }
    if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i));
      if (m && (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000))) {
        throw new MatcherError(`repetition count over 1000 in ${JSON.stringify(source)}`);
      }
    }
    out += c;
  }
  try {
    return new RegExp(`^(?:${out})$`, flags);
  } catch (e) {
    throw new MatcherError(`invalid regex ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}
