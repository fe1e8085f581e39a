/** The printer against Prometheus 3.16's Expr.String() (expected texts come from its printer). */
import { parseExpr } from '../../../src/engine/parser/parse';
import { formatDuration, printExpr } from '../../../src/engine/parser/printer';

describe('printExpr', () => {
  it.each([
    ['sum by (job) (rate(x[5m]))', 'sum by (job) (rate(x[5m]))'],
    ['sum(rate(x[5m])) by (job)', 'sum by (job) (rate(x[5m]))'],
    ['sum without () (x)', 'sum without () (x)'],
    ['sum by () (x)', 'sum(x)'],
    ['topk(5, x) without (a, "b.c")', 'topk without (a, "b.c") (5, x)'],
    ['a + on (b) group_left (c) d', 'a + on (b) group_left (c) d'],
    ['a + on() b', 'a + on () b'],
    ['a + ignoring() b', 'a + b'],
    ['a * ignoring(x) group_right b', 'a * ignoring (x) group_right () b'],
    ['a > bool b', 'a > bool b'],
    ['a and on(x) b', 'a and on (x) b'],
    ['a or b', 'a or b'],
    ['x offset -5m', 'x offset -5m'],
    ['x offset 90d', 'x offset 90d'],
    ['x offset 1h30m', 'x offset 1h30m'],
    ['x offset 10', 'x offset 10s'],
    ['x offset 1.5', 'x offset 1s500ms'],
    ['x @ 100', 'x @ 100.000'],
    ['x @ 100.5 offset 1m', 'x @ 100.500 offset 1m'],
    ['x @ start()', 'x @ start()'],
    ['x[5m] @ end() offset 1m', 'x[5m] @ end() offset 1m'],
    ['x[1h:5m] @ 1 offset 2m', 'x[1h:5m] @ 1.000 offset 2m'],
    ['x[1h:]', 'x[1h:]'],
    ['rate(x[1w])[1y:1d]', 'rate(x[1w])[1y:1d]'],
    [
      '1e300',
      '1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    ],
    ['1e-7', '0.0000001'],
    ['123456789012345678901234567890', '123456789012345680000000000000'],
    ['0.1 + 0.2', '0.1 + 0.2'],
    ['-0', '-0'],
    ['-0.0', '-0'],
    ['-1', '-1'],
    ['Inf + -Inf + NaN', '+Inf + -Inf + NaN'],
    ['1h', '1h'],
    ['-1h', '-1h'],
    ['1ms', '1ms'],
    ['0x10', '16'],
    ['`raw\n`', '"raw\\n"'], // a real newline inside backticks
    ['\'single "q"\'', '"single \\"q\\""'],
    ['{__name__="foo", a="b"}', '{__name__="foo",a="b"}'],
    ['{"foo.bar", "a b"="c"}', '{"a b"="c",__name__="foo.bar"}'],
    ['foo{z="1", a="2", b=~"x"}', 'foo{a="2",b=~"x",z="1"}'],
    ['-(1)', '-(1)'],
    ['- foo', '-foo'],
    ['+foo', '+foo'],
    ['(((x)))', '(((x)))'],
    ['x[90s]', 'x[1m30s]'],
    ['x[61s]', 'x[1m1s]'],
    ['x[3600001ms]', 'x[1h1ms]'],
    ['label_replace(up, "a", "$1", "b", "(.*)")', 'label_replace(up, "a", "$1", "b", "(.*)")'],
    ['count_values("v", x)', 'count_values("v", x)'],
    ['quantile(0.5, x)', 'quantile(0.5, x)'],
  ])('%s → %s', (query, want) => {
    const printed = printExpr(parseExpr(query));
    expect(printed).toBe(want);
    expect(printExpr(parseExpr(printed))).toBe(printed);
  });

  it('prints ASTs built by hand', () => {
    expect(printExpr({ type: 'NumberLiteral', value: 2.5, pos: { start: 0, end: 0 } })).toBe('2.5');
    expect(printExpr({ type: 'StringLiteral', value: 'x', pos: { start: 0, end: 0 } })).toBe('"x"');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [1000, '1s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [7 * 86_400_000, '1w'],
    [8 * 86_400_000, '8d'],
    [90 * 86_400_000, '90d'],
    [365 * 86_400_000, '1y'],
    [366 * 86_400_000, '366d'],
    [-60_000, '-1m'],
  ])('formatDuration(%d) is %s', (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});
