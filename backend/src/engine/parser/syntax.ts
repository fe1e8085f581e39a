/**
 * Prometheus-style texts for syntax errors (`unexpected <op:+> in …, expected …`), rebuilt from the
 * token at the position where lezer gave up.
 */
import { skipQuoted } from './normalize';
import { quotedEnd } from './lexer';
import { goQuote } from './go-format';

const AGGREGATORS = new Set([
  'avg',
  'bottomk',
  'count',
  'count_values',
  'group',
  'max',
  'min',
  'quantile',
  'stddev',
  'stdvar',
  'sum',
  'topk',
  'limitk',
  'limit_ratio',
]);
const WORD_OPERATORS = new Set(['and', 'or', 'unless', 'atan2']);
const KEYWORDS = new Set([
  'bool',
  'by',
  'group_left',
  'group_right',
  'fill',
  'fill_left',
  'fill_right',
  'ignoring',
  'offset',
  'smoothed',
  'anchored',
  'on',
  'without',
]);
const PREPROCESSORS = new Set(['start', 'end', 'step', 'range', 'max_of', 'min_of']);
const SYMBOL_OPERATORS = ['==', '!=', '<=', '>=', '=~', '!~', '</', '>/', '+', '-', '*', '/', '%', '^', '<', '>', '@'];
const PUNCTUATION = ['(', ')', '{', '}', '[', ']', ',', '=', ':', ';'];

/** Go's Item.String() for values: %q, or the first 10 characters quoted and `...`. */
function quotedValue(val: string): string {
  return [...val].length > 10 ? goQuote([...val].slice(0, 10).join('')) + '...' : goQuote(val);
}

/** Describes the token at `pos` the way Prometheus' parser names an unexpected item. */
export function describeToken(input: string, pos: number): string {
  let i = pos;
  for (;;) {
    while (i < input.length && /\s/.test(input[i])) {
      i++;
    }
    if (input[i] !== '#') {
      break;
    }
    const nl = input.indexOf('\n', i);
    i = nl < 0 ? input.length : nl;
  }
  if (i >= input.length) {
    return 'end of input';
  }
  const rest = input.slice(i);
  const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest)?.[0];
  if (word !== undefined) {
    const lower = word.toLowerCase();
    if (AGGREGATORS.has(lower)) {
      return `<aggr:${word}>`;
    }
    if (WORD_OPERATORS.has(lower)) {
      return `<op:${word}>`;
    }
    if (KEYWORDS.has(lower)) {
      return `<${word}>`;
    }
    if (PREPROCESSORS.has(lower)) {
      return goQuote(word);
    }
    if (lower === 'inf' || lower === 'nan') {
      return `number ${quotedValue(word)}`;
    }
    return `${word.includes(':') ? 'metric identifier' : 'identifier'} ${goQuote(word)}`;
  }
  const number =
    /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?|\.[0-9][0-9_]*([eE][+-]?[0-9]+)?)/.exec(
      rest
    )?.[0];
  if (number !== undefined) {
    const duration = /^[0-9]+[smhdwy]/.exec(rest) ? /^([0-9]+(ms|[smhdwy]))+/.exec(rest)?.[0] : undefined;
    return duration !== undefined ? `duration ${quotedValue(duration)}` : `number ${quotedValue(number)}`;
  }
  if (rest[0] === '"' || rest[0] === "'" || rest[0] === '`') {
    const end = rest[0] === '`' ? rest.indexOf('`', 1) + 1 || rest.length : skipQuoted(rest, 0);
    return `string ${quotedValue(rest.slice(0, end))}`;
  }
  const op = SYMBOL_OPERATORS.find((o) => rest.startsWith(o));
  if (op !== undefined) {
    return `<op:${op}>`;
  }
  const punct = PUNCTUATION.find((p) => rest.startsWith(p));
  if (punct !== undefined) {
    return goQuote(punct);
  }
  return `character ${goQuote([...rest][0])}`;
}

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/**
 * What Prometheus' grammar expected at a syntax error, as the suffix of its message
 * (` in label matching, expected string`); '' when no rule applies.
 */
export function expectationAt(text: string, at: number): string {
  const before = text.slice(0, at).replace(/\s+$/, '');
  const open = innermostOpen(text, at);
  const prevWord = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(before)?.[1];
  if (open?.c === '{') {
    if (/(=~|!~|!=|=)$/.test(before)) {
      return ' in label matching, expected string';
    }
    if (/[{,]$/.test(before)) {
      return ' in label matching, expected identifier or "}"';
    }
    if (prevWord !== undefined && /[{,]$/.test(before.slice(0, before.length - prevWord.length).replace(/\s+$/, ''))) {
      return ' in label matching, expected label matching operator';
    }
    return ' in label matching, expected "," or "}"';
  }
  if (before.endsWith(')')) {
    // `sum by (a) foo`: a grouping written before the body must be followed by it.
    const opener = text.slice(0, matchingOpen(text, before.length - 1)).replace(/\s+$/, '');
    const words = /([A-Za-z_]+)\s+(by|without)$/i.exec(opener);
    if (words && AGGREGATORS.has(words[1].toLowerCase())) {
      return ' in aggregation';
    }
  }
  if (prevWord !== undefined && GROUPING_KEYWORDS.has(prevWord.toLowerCase())) {
    return ' in grouping opts, expected "("';
  }
  if (open?.c === '(') {
    const opener = text.slice(0, open.at).replace(/\s+$/, '');
    const word = /([A-Za-z_]+)$/.exec(opener)?.[1]?.toLowerCase();
    if (word !== undefined && GROUPING_KEYWORDS.has(word)) {
      return /[(,]$/.test(before) ? ' in grouping opts, expected label' : ' in grouping opts, expected "," or ")"';
    }
  }
  if (open?.c === '[' && /\[$/.test(before)) {
    return ' in subquery or range selector, expected number, duration, step(), or range()';
  }
  if (/(^|[^A-Za-z0-9_])offset$/i.test(before)) {
    return ' in offset, expected number, duration, step(), or range()';
  }
  if (before.endsWith('@')) {
    return ' in @, expected timestamp';
  }
  return '';
}

/** Index of the bracket that the closing bracket at `close` closes (0 if none). */
function matchingOpen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === ')' || text[i] === ']' || text[i] === '}') {
      depth++;
    } else if (text[i] === '(' || text[i] === '[' || text[i] === '{') {
      depth--;
      if (depth === 0) {
        return i;
      }
    }
  }
  return 0;
}

function innermostOpen(text: string, end: number): { c: string; at: number } | null {
  const stack: { c: string; at: number }[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const close = c === '`' ? text.indexOf('`', i + 1) : quotedEnd(text, i);
      i = close < 0 ? end : close;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push({ c, at: i });
    } else if (c === ')' || c === ']' || c === '}') {
      stack.pop();
    }
  }
  return stack[stack.length - 1] ?? null;
}
