/**
 * Same-length rewrites of the query text before it goes to @prometheus-io/lezer-promql, for spellings
 * Prometheus' lexer accepts and the lezer grammar does not.
 */
/**
 * Same-length rewrites that let lezer parse what Prometheus' lexer accepts: `2.` → `2 `,
 * `2.e3` → `2e3 `, `0X1F` → `0x1F`, and calls of functions missing from the lezer grammar renamed to
 * a grammar function of the same length (`integral(` → `increase(`, `min_of(`/`max_of(` → `vector(`
 * outside durations); the builder reads function names from the original text. Every other token
 * keeps its text and position, so error positions hold.
 */
export function normalizeForLezer(input: string): string {
  let out = '';
  let i = 0;
  // Per open ( or [: whether it holds a duration expression (inside [...] or after `offset`).
  const durationContext: boolean[] = [];
  let afterOffset = false;
  while (i < input.length) {
    const c = input[i];
    const inDuration = durationContext[durationContext.length - 1] ?? false;
    if (c === '"' || c === "'") {
      const end = skipQuoted(input, i);
      out += input.slice(i, end);
      i = end;
    } else if (c === '`') {
      const close = input.indexOf('`', i + 1);
      const end = close < 0 ? input.length : close + 1;
      out += input.slice(i, end);
      i = end;
    } else if (c === '#') {
      const nl = input.indexOf('\n', i);
      const end = nl < 0 ? input.length : nl;
      out += input.slice(i, end);
      i = end;
    } else if (/[A-Za-z_:]/.test(c)) {
      const m = /[A-Za-z0-9_:]*/y;
      m.lastIndex = i;
      m.exec(input);
      const word = input.slice(i, m.lastIndex);
      const isCall = /^\s*\(/.test(input.slice(m.lastIndex));
      out += isCall && !inDuration && !afterOffset ? (RENAMED_CALLS[word] ?? word) : word;
      // `offset (…)` and `max_of(…)` inside a duration open duration parentheses.
      afterOffset = word.toLowerCase() === 'offset' || ((inDuration || afterOffset) && isCall);
      i = m.lastIndex;
      continue;
    } else if (/[0-9]/.test(c)) {
      const m = /(0[xX])|([0-9][0-9_]*)\.(?![0-9])([eE][+-]?[0-9]+)?|[0-9][0-9_.]*/y;
      m.lastIndex = i;
      const hit = m.exec(input);
      if (hit?.[1] !== undefined) {
        out += '0x';
      } else if (hit?.[2] !== undefined) {
        // Go accepts a trailing dot; the lezer grammar wants digits after it.
        out += hit[2] + (hit[3] ?? '') + ' ';
      } else {
        out += hit?.[0] ?? c;
      }
      i += hit?.[0].length ?? 1;
    } else {
      if (c === '(' || c === '[') {
        durationContext.push(c === '[' || inDuration || afterOffset);
      } else if (c === ')' || c === ']') {
        durationContext.pop();
      }
      out += c;
      i++;
      if (!/[\s+-]/.test(c)) {
        afterOffset = false;
      }
      continue;
    }
    afterOffset = false;
  }
  return out;
}

/** Functions Prometheus has and the lezer grammar lacks, renamed to a same-length grammar function. */
const RENAMED_CALLS: Record<string, string> = { integral: 'increase', min_of: 'vector', max_of: 'vector' };

export function skipQuoted(input: string, start: number): number {
  const quote = input[start];
  for (let i = start + 1; i < input.length; i++) {
    if (input[i] === '\\') {
      i++;
    } else if (input[i] === quote || input[i] === '\n') {
      return i + 1;
    }
  }
  return input.length;
}
