import { QueryError } from '../../../src/engine/api';
import type { BinaryExpr, Expr, VectorSelector } from '../../../src/engine/parser/ast';
import { parseExpr } from '../../../src/engine/parser/parse';
import { printExpr } from '../../../src/engine/parser/printer';
import { exprType } from '../../../src/engine/parser/types';

/** The tree without positions, and with calls shown by name, for compact expectations. */
function shape(e: Expr): unknown {
  return JSON.parse(
    JSON.stringify(e, (k, v) => {
      if (k === 'pos') {
        return undefined;
      }
      if (k === 'func') {
        return v.name;
      }
      return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    })
  );
}

function num(q: string): number {
  const e = parseExpr(q);
  if (e.type !== 'NumberLiteral') {
    throw new Error(`${q} is a ${e.type}`);
  }
  return e.value;
}

function selector(q: string): VectorSelector {
  const e = parseExpr(q);
  if (e.type !== 'VectorSelector') {
    throw new Error(`${q} is a ${e.type}`);
  }
  return e;
}

describe('number literals', () => {
  it.each([
    ['1', 1],
    ['12.34e6', 12_340_000],
    ['12.34e+6', 12_340_000],
    ['12.34e-6', 0.00001234],
    ['.2', 0.2],
    ['+0.2', 0.2],
    ['-0.2e-6', -0.0000002],
    ['2.', 2],
    ['0x1F', 31],
    ['0X1f', 31],
    ['010', 8], // Go's ParseInt with base 0: octal
    ['09', 9],
    ['1_000', 1000],
    ['- 1', -1],
    ['- - 1', 1],
    ['99999999999999999999', 1e20],
  ])('%s is %d', (q, v) => {
    expect(num(q)).toBe(v);
  });

  it.each(['Inf', 'inf', 'inF', '+Inf', 'INF'])('%s is +Inf', (q) => {
    expect(num(q)).toBe(Infinity);
  });

  it('reads -inf and NaN in any case', () => {
    expect(num('-inf')).toBe(-Infinity);
    expect(num('NaN')).toBeNaN();
    expect(num('nan')).toBeNaN();
    expect(num('-NaN')).toBeNaN();
  });

  it('folds a sign into the literal like Prometheus, but not through parentheses', () => {
    expect(parseExpr('-1')).toEqual({ type: 'NumberLiteral', value: -1, pos: { start: 0, end: 2 } });
    expect(shape(parseExpr('-(1)'))).toEqual({
      type: 'UnaryExpr',
      op: '-',
      expr: { type: 'ParenExpr', expr: { type: 'NumberLiteral', value: 1 } },
    });
  });

  it('reads durations as seconds and remembers they were durations', () => {
    expect(parseExpr('1h30m')).toMatchObject({ type: 'NumberLiteral', value: 5400, duration: true });
    expect(num('5m')).toBe(300);
    expect(num('1y')).toBe(365 * 86400);
    expect(num('1w')).toBe(7 * 86400);
    expect(num('1d2h3m4s5ms')).toBeCloseTo(86400 + 7200 + 180 + 4.005, 9);
    expect(parseExpr('-1h')).toMatchObject({ value: -3600, duration: true });
  });
});

describe('string literals', () => {
  it.each([
    ['"Foo"', 'Foo'],
    ["'Foo'", 'Foo'],
    ['`a\\nb`', 'a\\nb'],
    ['"a\\nb\\t\\"c\\\\"', 'a\nb\t"c\\'],
    ["'it\\'s'", "it's"],
    ['"\\u00e9\\x41\\101"', 'éAA'],
    ['""', ''],
  ])('%s', (q, v) => {
    expect(parseExpr(q)).toMatchObject({ type: 'StringLiteral', value: v });
  });

  // Go strings are bytes: \x and octal escapes give bytes, decoded as UTF-8 afterwards; an invalid
  // byte b is held as the lone surrogate U+DC00+b and printed back as \xNN (outputs checked against
  // Prometheus v0.316.0's parser and printer).
  it.each([
    ['"\\xc3\\xa4"', 'ä', '"ä"'],
    ['"\\303\\244"', 'ä', '"ä"'],
    ['"\\xff"', '\udcff', '"\\xff"'],
    ['"a\\xc5z"', 'a\udcc5z', '"a\\xc5z"'],
    ['"\\303\\244x\\xe2\\x82"', 'äx\udce2\udc82', '"äx\\xe2\\x82"'],
    ['"\\xe2\\x82\\xac\\xf0\\x9f\\x98"', '€\udcf0\udc9f\udc98', '"€\\xf0\\x9f\\x98"'],
    ['"\\xf0\\x9f\\x98\\x80"', '\u{1F600}', '"\u{1F600}"'],
    // Go's decoder rejects UTF-8-encoded surrogates, overlong forms and code points above U+10FFFF.
    ['"\\xed\\xa0\\x80"', '\udced\udca0\udc80', '"\\xed\\xa0\\x80"'],
    ['"\\xc0\\x80"', '\udcc0\udc80', '"\\xc0\\x80"'],
    ['"\\xf4\\x90\\x80\\x80"', '\udcf4\udc90\udc80\udc80', '"\\xf4\\x90\\x80\\x80"'],
    // Escaped bytes do not merge with a written character or a \u escape.
    ['"\\xc3é\\xa4"', '\udcc3é\udca4', '"\\xc3é\\xa4"'],
    ['"\\xe2\\u00e9"', '\udce2é', '"\\xe2é"'],
  ])('%s is bytes', (q, value, printed) => {
    const e = parseExpr(q);
    expect(e).toMatchObject({ type: 'StringLiteral', value });
    expect(printExpr(e)).toBe(printed);
    expect(printExpr(parseExpr(printed))).toBe(printed);
  });

  it('rejects invalid UTF-8 where Prometheus requires a valid label name', () => {
    expect(() => parseExpr('sum by ("\\xff") (x)')).toThrow(
      '1:9: parse error: invalid label name for grouping: "\\xff"'
    );
    expect(printExpr(parseExpr('foo{"a\\xff"="x"}'))).toBe('foo{"a\\xff"="x"}');
    expect(printExpr(parseExpr('{a="\\xff"}'))).toBe('{a="\\xff"}');
  });
});

describe('vector selectors', () => {
  it('appends the name matcher after the braces, like Prometheus', () => {
    expect(selector('foo{a="b", c!="d", e=~"f.*", g!~"h"}').matchers).toEqual([
      { type: '=', name: 'a', value: 'b' },
      { type: '!=', name: 'c', value: 'd' },
      { type: '=~', name: 'e', value: 'f.*' },
      { type: '!~', name: 'g', value: 'h' },
      { type: '=', name: '__name__', value: 'foo' },
    ]);
  });

  it('accepts quoted label and metric names and a trailing comma', () => {
    const vs = selector('{"a.b", "c d"="e",}');
    expect(vs.name).toBe('');
    expect(vs.matchers).toEqual([
      { type: '=', name: '__name__', value: 'a.b' },
      { type: '=', name: 'c d', value: 'e' },
    ]);
  });

  it('accepts keywords as metric and label names', () => {
    expect(selector('sum{by="x", on="y"}').name).toBe('sum');
    expect(selector('by').name).toBe('by');
    expect(selector('sum:rate5m').name).toBe('sum:rate5m');
  });

  it('has no offset or @ by default', () => {
    expect(selector('foo')).toMatchObject({ offset: 0, at: null });
  });
});

describe('modifiers', () => {
  it('reads offsets (negative, bare numbers as seconds) and @ in either order', () => {
    expect(selector('foo offset 5m')).toMatchObject({ offset: 300_000 });
    expect(selector('foo offset -1h30m')).toMatchObject({ offset: -5_400_000 });
    expect(selector('foo offset 10')).toMatchObject({ offset: 10_000 });
    expect(selector('foo offset 1.5')).toMatchObject({ offset: 1500 });
    expect(selector('foo @ 100 offset 1m')).toMatchObject({ offset: 60_000, at: { kind: 'time', ms: 100_000 } });
    expect(selector('foo offset 1m @ 100.5')).toMatchObject({ offset: 60_000, at: { kind: 'time', ms: 100_500 } });
    expect(selector('foo @ -1m')).toMatchObject({ at: { kind: 'time', ms: -60_000 } });
    expect(selector('foo @ start()')).toMatchObject({ at: { kind: 'start' } });
    expect(selector('foo @ end()')).toMatchObject({ at: { kind: 'end' } });
  });

  it('puts range-selector modifiers on the inner selector', () => {
    expect(shape(parseExpr('foo[5m] offset 1m @ end()'))).toEqual({
      type: 'MatrixSelector',
      range: 300_000,
      vectorSelector: {
        type: 'VectorSelector',
        name: 'foo',
        matchers: [{ type: '=', name: '__name__', value: 'foo' }],
        offset: 60_000,
        at: { kind: 'end' },
      },
    });
  });

  it('reads subqueries with and without step, with their own modifiers', () => {
    expect(parseExpr('rate(x[1m])[5m:1m] offset 2m @ 10')).toMatchObject({
      type: 'SubqueryExpr',
      range: 300_000,
      step: 60_000,
      offset: 120_000,
      at: { kind: 'time', ms: 10_000 },
      expr: { type: 'Call' },
    });
    expect(parseExpr('x[5m:]')).toMatchObject({ type: 'SubqueryExpr', step: 0 });
    expect(parseExpr('x[1h:5]')).toMatchObject({ type: 'SubqueryExpr', range: 3_600_000, step: 5000 });
  });

  it('binds offset, @ and ranges tighter than binary and unary operators', () => {
    expect(printExpr(parseExpr('a + b offset 5m'))).toBe('a + b offset 5m');
    expect(parseExpr('a + b offset 5m')).toMatchObject({ rhs: { type: 'VectorSelector', offset: 300_000 } });
    expect(parseExpr('a * b @ 5')).toMatchObject({ lhs: { at: null }, rhs: { at: { kind: 'time', ms: 5000 } } });
    expect(parseExpr('-foo offset 5m')).toMatchObject({ type: 'UnaryExpr', expr: { offset: 300_000 } });
    expect(parseExpr('a or -b @ 5')).toMatchObject({ rhs: { type: 'UnaryExpr', expr: { at: { kind: 'time' } } } });
    // lezer would read these as (a + b)[5m:] and (-x)[5m:], which Prometheus rejects.
    expect(() => parseExpr('a + b[5m:]')).toThrow(
      '1:5: parse error: binary expression must contain only scalar and instant vector types'
    );
    expect(() => parseExpr('-x[5m:]')).toThrow(
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"'
    );
    expect(() => parseExpr('a + b[5m:] offset 1m')).toThrow('binary expression must contain only scalar');
  });
});

describe('operators', () => {
  const tree = (q: string): string => {
    const show = (e: Expr): string => {
      switch (e.type) {
        case 'BinaryExpr':
          return `(${show(e.lhs)} ${e.op} ${show(e.rhs)})`;
        case 'UnaryExpr':
          return `(${e.op}${show(e.expr)})`;
        case 'NumberLiteral':
          return String(e.value);
        case 'VectorSelector':
          return e.name;
        case 'ParenExpr':
          return `[${show(e.expr)}]`;
        default:
          return e.type;
      }
    };
    return show(parseExpr(q));
  };

  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '(-(2 ^ 2))'],
    ['+2 ^ 2', '(+(2 ^ 2))'],
    ['2 ^ -3 ^ 2', '(2 ^ (-(3 ^ 2)))'],
    ['-2^---1*3', '((-(2 ^ -1)) * 3)'],
    ['2/-2^---1*3+2', '(((2 / (-(2 ^ -1))) * 3) + 2)'],
    ['-a * b', '((-a) * b)'],
    ['-a ^ b', '(-(a ^ b))'],
    ['a atan2 b * c', '((a atan2 b) * c)'],
    ['a + b > c', '((a + b) > c)'],
    ['a > b and c', '((a > b) and c)'],
    ['a and b or c unless d', '((a and b) or (c unless d))'],
    ['a and b unless c', '((a and b) unless c)'],
    ['a or b and c', '(a or (b and c))'],
    ['(a + b) * c', '([(a + b)] * c)'],
    ['1 - -1', '(1 - -1)'],
  ])('%s groups as %s', (q, want) => {
    expect(tree(q)).toBe(want);
  });

  // Groupings checked against Prometheus v0.316.0's parser (its AST printed with explicit parentheses
  // and `on[labels]` for the matching labels). Go's printer adds no parentheses, so the conformance
  // runner's re-printed `a @ 60.000 + on (x) b @ 60.000 * 0` depends on these.
  const modifiers = (q: string): string => {
    const show = (e: Expr): string => {
      switch (e.type) {
        case 'BinaryExpr': {
          const m = e.matching;
          const on = m && (m.on || m.matchingLabels.length > 0) ? ` on[${m.matchingLabels.join(' ')}]` : '';
          return `(${show(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${on} ${show(e.rhs)})`;
        }
        case 'UnaryExpr':
          return `(${e.op}${show(e.expr)})`;
        default:
          return printExpr(e);
      }
    };
    return show(parseExpr(q));
  };

  it.each([
    ['node_cpu + on(dummy) group_left(foo) random*0', '(node_cpu + on[dummy] (random * 0))'],
    [
      'node_cpu @ 60.000 + on (dummy) group_left (foo) random @ 60.000 * 0',
      '(node_cpu @ 60.000 + on[dummy] (random @ 60.000 * 0))',
    ],
    ['a * on(x) b + c', '((a * on[x] b) + c)'],
    ['a + on(x) b * c', '(a + on[x] (b * c))'],
    ['a > bool on(x) b + 1', '(a > bool on[x] (b + 1))'],
    ['a + 1 > bool on(x) b', '((a + 1) > bool on[x] b)'],
    ['a or on(x) b and c', '(a or on[x] (b and c))'],
    ['a and on(x) b or c', '((a and on[x] b) or c)'],
    ['a ^ on(x) b ^ c', '(a ^ on[x] (b ^ c))'],
    ['a ^ on(x) b * c', '((a ^ on[x] b) * c)'],
    ['a * ignoring(x) group_right b ^ c', '(a * on[x] (b ^ c))'],
    ['a - on(x) group_left b / c', '(a - on[x] (b / c))'],
    ['a unless ignoring(y) b > c', '(a unless on[y] (b > c))'],
    ['a + b offset 1m * c', '(a + (b offset 1m * c))'],
    ['-a @ 1 ^ 2', '(-(a @ 1.000 ^ 2))'],
    ['a ^ -b @ 1 * c', '((a ^ (-b @ 1.000)) * c)'],
    ['a - on(x) group_left(y) b offset 5m / c @ 10', '(a - on[x] (b offset 5m / c @ 10.000))'],
  ])('%s groups with its modifiers as Prometheus: %s', (q, want) => {
    expect(modifiers(q)).toBe(want);
  });

  it('keeps vector matching on the operator it was written on', () => {
    const e = parseExpr('a @ 1 + on(x) group_left(y) b @ 1 * 0') as BinaryExpr;
    expect(e).toMatchObject({ op: '+', matching: { card: 'many-to-one', matchingLabels: ['x'], include: ['y'] } });
    expect(e.rhs).toMatchObject({ type: 'BinaryExpr', op: '*', matching: null });
    // The printed text must read back to the same tree (the conformance runner sends printed text).
    expect(printExpr(parseExpr(printExpr(e)))).toBe(printExpr(e));
    expect(modifiers(printExpr(e))).toBe('(a @ 1.000 + on[x] (b @ 1.000 * 0))');
  });

  it('sets vector matching like Prometheus', () => {
    const m = (q: string) => (parseExpr(q) as BinaryExpr).matching;
    expect(m('a + b')).toEqual({ card: 'one-to-one', matchingLabels: [], on: false, include: [] });
    expect(m('a and b')).toEqual({ card: 'many-to-many', matchingLabels: [], on: false, include: [] });
    expect(m('a + on(x, "y.z") group_left(w) b')).toEqual({
      card: 'many-to-one',
      matchingLabels: ['x', 'y.z'],
      on: true,
      include: ['w'],
    });
    expect(m('a - ignoring(x) group_right b')).toEqual({
      card: 'one-to-many',
      matchingLabels: ['x'],
      on: false,
      include: [],
    });
    expect(m('a + 1')).toBeNull();
    expect(m('1 + on() 2')).toBeNull();
    expect(m('2 > bool 1')).toBeNull();
  });

  it('reads bool on comparisons', () => {
    expect(parseExpr('a > bool b')).toMatchObject({ op: '>', returnBool: true });
    expect(parseExpr('1 == bool 1')).toMatchObject({ returnBool: true });
  });

  it('accepts keywords in any case', () => {
    expect(parseExpr('SUM(x) BY (job)')).toMatchObject({ type: 'AggregateExpr', op: 'sum', grouping: ['job'] });
    expect(parseExpr('a AND b')).toMatchObject({ op: 'and' });
    expect(parseExpr('a > BOOL b')).toMatchObject({ returnBool: true });
  });
});

describe('aggregations and calls', () => {
  it('takes by/without before or after the body', () => {
    for (const q of ['sum by (a, b) (x)', 'sum(x) by (a, b)']) {
      expect(parseExpr(q)).toMatchObject({ type: 'AggregateExpr', op: 'sum', grouping: ['a', 'b'], without: false });
    }
    expect(parseExpr('avg without () (x)')).toMatchObject({ without: true, grouping: [] });
    expect(parseExpr('max by ("a.b",) (x)')).toMatchObject({ grouping: ['a.b'] });
  });

  it('reads parameters', () => {
    expect(parseExpr('topk(5, x)')).toMatchObject({ op: 'topk', param: { value: 5 }, expr: { name: 'x' } });
    expect(parseExpr('count_values("v", x)')).toMatchObject({ param: { type: 'StringLiteral', value: 'v' } });
    expect(parseExpr('quantile(0.9, x)')).toMatchObject({ param: { value: 0.9 } });
    expect(parseExpr('limit_ratio(-0.5, x)')).toMatchObject({ param: { value: -0.5 } });
    expect(parseExpr('group(x)')).toMatchObject({ op: 'group', param: null });
  });

  it('resolves functions from the table', () => {
    const e = parseExpr('label_replace(up, "a", "$1", "b", "(.*)")');
    expect(e).toMatchObject({ type: 'Call', func: { name: 'label_replace', returnType: 'vector' } });
    expect(parseExpr('time()')).toMatchObject({ type: 'Call', args: [] });
    expect(parseExpr('integral(x[5m])')).toMatchObject({ type: 'Call', func: { name: 'integral' } });
    expect(parseExpr('min_of(1, 2)')).toMatchObject({ type: 'Call', func: { name: 'min_of' } });
    expect(parseExpr('step()')).toMatchObject({ type: 'Call', func: { name: 'step' } });
  });
});

describe('types', () => {
  it.each([
    ['1', 'scalar'],
    ['"a"', 'string'],
    ['x', 'vector'],
    ['x[5m]', 'matrix'],
    ['x[5m:]', 'matrix'],
    ['1 + 2', 'scalar'],
    ['1 + x', 'vector'],
    ['-(x)', 'vector'],
    ['scalar(x)', 'scalar'],
    ['sum(x)', 'vector'],
  ])('%s is a %s', (q, t) => {
    expect(exprType(parseExpr(q))).toBe(t);
  });
});

describe('positions', () => {
  it('are byte offsets', () => {
    const e = parseExpr('{"ä"="ö"} + foo') as BinaryExpr;
    expect(e.lhs.pos).toEqual({ start: 0, end: 11 });
    expect(e.rhs.pos).toEqual({ start: 14, end: 17 });
  });

  it('cover modifiers', () => {
    expect(parseExpr('foo offset 5m').pos).toEqual({ start: 0, end: 13 });
    expect(parseExpr('sum(x)').pos).toEqual({ start: 0, end: 6 });
  });
});

describe('unsupported experimental syntax', () => {
  it.each([
    'x[5m+1m]',
    'x[(5m)]',
    'x[step()]',
    'x offset (1+2)',
    'x offset step()',
    'x offset STEP()',
    'x offset max_of(1m, min_of(2m, step()))',
    'rate(x[5m] anchored)',
    'rate(x[5m] smoothed)',
    'a + fill(0) b',
    'a + on(x) fill_left(1) b',
    'a </ b',
    'a >/ b',
  ])('%s', (q) => {
    expect(() => parseExpr(q)).toThrow(/^unsupported: /);
  });

  it('throws bad_data QueryErrors', () => {
    let error: unknown;
    try {
      parseExpr('x[5m+1m]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).type).toBe('bad_data');
  });
});
