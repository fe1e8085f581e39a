/** Error texts, checked against Prometheus 3.16's parser (the same queries are in the corpus fixture). */
import { QueryError } from '../../../src/engine/api';
import { parseExpr } from '../../../src/engine/parser/parse';

function errorOf(query: string): QueryError {
  try {
    parseExpr(query);
  } catch (e) {
    if (e instanceof QueryError) {
      return e;
    }
    throw e;
  }
  throw new Error(`${query} parsed`);
}

describe('Prometheus error messages', () => {
  it.each([
    ['', 'unknown position: parse error: no expression found in input'],
    ['   ', '1:1: parse error: no expression found in input'],
    ['1 > 2', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['1 + bool 2', '1:3: parse error: bool modifier can only be used on comparison operators'],
    ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['foo and bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['foo + on(a) group_left(a) bar', '1:5: parse error: label "a" must not occur in ON and GROUP clause at once'],
    ['foo and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['1 or foo', '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
    ['foo and on(a) group_left bar', '1:1: parse error: no grouping allowed for "and" operation'],
    ['foo or ignoring(a) group_right(b) bar', '1:1: parse error: no grouping allowed for "or" operation'],
    ['1 + on(a) foo', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['1 + on(a) 2', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['foo[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
    ['1 + foo[5m]', '1:5: parse error: binary expression must contain only scalar and instant vector types'],
    ['"a" + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
    ['rate(foo)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['rate(foo[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2'],
    ['rate()', '1:1: parse error: expected 1 argument(s) in call to "rate", got 0'],
    ['time(1)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
    ['round()', '1:1: parse error: expected at least 1 argument(s) in call to "round", got 0'],
    ['round(x, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
    ['label_join(x)', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1'],
    [
      'histogram_quantiles(x, "q")',
      '1:1: parse error: expected at least 3 argument(s) in call to "histogram_quantiles", got 2',
    ],
    ['clamp(x, "a", 1)', '1:10: parse error: expected type scalar in call to function "clamp", got string'],
    ['abs(x[5m])', '1:5: parse error: expected type instant vector in call to function "abs", got range vector'],
    ['vector("a")', '1:8: parse error: expected type scalar in call to function "vector", got string'],
    [
      'quantile_over_time(x[5m], 0.5)',
      '1:20: parse error: expected type scalar in call to function "quantile_over_time", got range vector',
    ],
    ['sort_by_label(x, 1)', '1:18: parse error: expected type string in call to function "sort_by_label", got scalar'],
    ['info(x, foo)', '1:9: parse error: expected label selectors only, got vector selector instead'],
    ['info(x, 1)', '1:1: parse error: expected type instant vector in call to function "info", got scalar'],
    ['info(x, rate(y[5m]))', '1:9: parse error: expected label selectors only'],
    ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
    ['sum(x, y)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2'],
    ['topk(x)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
    ['topk("a", x)', '1:6: parse error: expected type scalar in aggregation parameter, got string'],
    ['count_values(1, x)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
    [
      'count_values("a", x[5m])',
      '1:19: parse error: expected type instant vector in aggregation expression, got range vector',
    ],
    ['quantile(x, y)', '1:10: parse error: expected type scalar in aggregation parameter, got instant vector'],
    [
      'limitk(1, 2, 3)',
      '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 3',
    ],
    ['sum(rate(x))', '1:10: parse error: expected type range vector in call to function "rate", got instant vector'],
    [
      '-"a"',
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
    ],
    [
      '-x[5m]',
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    ],
    ['"a"[5m:]', '1:1: parse error: subquery is only allowed on instant vector, got string instead'],
    ['x[5m][5m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
    ['1[5m:]', '1:1: parse error: subquery is only allowed on instant vector, got scalar instead'],
    ['rate(x)[5m]', '1:8: parse error: ranges only allowed for vector selectors'],
    ['(x)[5m]', '1:4: parse error: ranges only allowed for vector selectors'],
    ['x offset 5m[5m]', '1:12: parse error: no offset modifiers allowed before range'],
    ['x @ 5 [5m]', '1:7: parse error: no @ modifiers allowed before range'],
    ['x offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
    ['x[5m] offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
    ['x[5m:] offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
    ['x @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['x @ start() @ end()', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    [
      'sum(x) offset 5m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    [
      '(x) offset 5m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    [
      '1 offset 5m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    [
      'rate(x[5m]) @ 5',
      '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['x @ Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
    ['x @ -Inf', '1:1: parse error: timestamp out of bounds for @ modifier: -Inf'],
    ['x @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN'],
    ['x @ 1e20', '1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000'],
    // Go's %f writes every integer digit, also from 1e21 on (where JS's toFixed switches to 1e+21).
    ['x @ 1e25', '1:1: parse error: timestamp out of bounds for @ modifier: 10000000000000000905969664.000000'],
    ['x[0s]', '1:3: parse error: duration must be greater than 0'],
    ['x[-1m]', '1:3: parse error: duration must be greater than 0'],
    ['x[5m:0s]', '1:6: parse error: duration must be greater than 0'],
    ['x offset 1e300', '1:10: parse error: duration out of range'],
    ['x[1e300]', '1:3: parse error: duration out of range'],
    ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{a=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{a!~"x"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
    ['foo{"bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
    ['sum by ("") (x)', '1:9: parse error: invalid label name for grouping: ""'],
    ['foo(x)', '1:1: parse error: unknown function with name "foo"'],
    ['Foo(x)', '1:1: parse error: unknown function with name "Foo"'],
    ['Rate(x[5m])', '1:1: parse error: unknown function with name "Rate"'],
    ['rate(x[5m],)', '1:11: parse error: trailing commas not allowed in function call args'],
    ['sum(x,)', '1:6: parse error: trailing commas not allowed in function call args'],
    ['sum(x', '1:6: parse error: unclosed left parenthesis'],
    ['(1))', "1:5: parse error: unexpected right parenthesis ')'"],
    ['foo{', '1:5: parse error: unexpected end of input inside braces'],
    ['foo[', '1:5: parse error: unexpected end of input in duration expression'],
    ['"abc', '1:1: parse error: unterminated quoted string'],
    ["'abc", '1:1: parse error: unterminated quoted string'],
    ['`abc', '1:1: parse error: unterminated raw string'],
    ['"a\\q"', "1:1: parse error: unknown escape sequence U+0071 'q'"],
    ['"a\\', '1:1: parse error: escape sequence not terminated'],
    ['"\\x."', "1:1: parse error: illegal character U+002E '.' in escape sequence"],
    ['"\\u12"', "1:1: parse error: illegal character U+0022 '\"' in escape sequence"],
    ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
    ['100..4', '1:1: parse error: bad number or duration syntax: "100.."'],
    ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"'],
    ['foo[5mm]', '1:5: parse error: bad number or duration syntax: "5mm"'],
    ['foo[5m1h]', '1:5: parse error: not a valid duration string: "5m1h"'],
    ['foo[5y1hs]', '1:5: parse error: unknown unit "hs" in duration "5y1hs"'],
    ['x offset 1mm', '1:10: parse error: bad number or duration syntax: "1mm"'],
    ['foo{1}', "1:5: parse error: unexpected character inside braces: '1'"],
    ['foo{a:b="c"}', "1:6: parse error: unexpected character inside braces: ':'"],
    ['foo{a*"b"}', "1:6: parse error: unexpected character inside braces: '*'"],
    ['foo{gibberish}', '1:14: parse error: unexpected "}" in label matching, expected label matching operator'],
    ['foo{a=}', '1:7: parse error: unexpected "}" in label matching, expected string'],
    ['foo{a="b" c}', '1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"'],
    ['foo{,}', '1:5: parse error: unexpected "," in label matching, expected identifier or "}"'],
    ['sum without(==)(x)', '1:13: parse error: unexpected <op:==> in grouping opts, expected label'],
    ['sum by test (x)', '1:8: parse error: unexpected identifier "test" in grouping opts, expected "("'],
    ['sum (x) by test', '1:12: parse error: unexpected identifier "test" in grouping opts, expected "("'],
    ['x offset', '1:9: parse error: unexpected end of input in offset, expected number, duration, step(), or range()'],
    ['x @', '1:4: parse error: unexpected end of input in @, expected timestamp'],
    [
      'x[]',
      '1:3: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()',
    ],
    ['x[5m', '1:5: parse error: unclosed left bracket'],
    ['1 +', '1:4: parse error: unexpected end of input'],
    ['+', '1:2: parse error: unexpected end of input'],
    ['sum by (a) foo', '1:12: parse error: unexpected identifier "foo" in aggregation'],
    ['x y', '1:3: parse error: unexpected identifier "y"'],
    ['}', "1:1: parse error: unexpected character: '}'"],
    ['a.b', "1:2: parse error: unexpected character: '.'"],
    ['温度', "1:1: parse error: unexpected character: '温'"],
    ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'"],
    ['1 =~ 1', "1:3: parse error: unexpected character after '=': '~'"],
    ['x !~ "a"', "1:3: parse error: unexpected character after '!': '~'"],
  ])('%s', (query, message) => {
    const e = errorOf(query);
    expect(e.message).toBe(message);
    expect(e.type).toBe('bad_data');
  });

  it('reports positions in lines and UTF-8 byte columns', () => {
    expect(errorOf('sum(\n  rate(foo)\n)').message).toBe(
      '2:8: parse error: expected type range vector in call to function "rate", got instant vector'
    );
    expect(errorOf('{"é"="x"} + rate(foo)').message).toBe(
      '1:19: parse error: expected type range vector in call to function "rate", got instant vector'
    );
  });

  it("reports the first error in Prometheus' order", () => {
    // Arity is checked before the arguments, and arguments left to right.
    expect(errorOf('rate(foo, bar)').message).toBe('1:1: parse error: expected 1 argument(s) in call to "rate", got 2');
    expect(errorOf('clamp(x[1m], "a", 1)').message).toBe(
      '1:7: parse error: expected type instant vector in call to function "clamp", got range vector'
    );
    // Both sides of a binary expression are checked before the operator.
    expect(errorOf('rate(x) > 1 + bool 2').message).toBe(
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector'
    );
  });
});
