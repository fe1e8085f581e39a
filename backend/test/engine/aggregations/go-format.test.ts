/** Go formatting, expected values printed by Go 1.26 (fmt %v/%g, strconv.FormatFloat 'f' -1, strconv.Quote). */
import { formatFloatLabelValue, formatGoFloat, goQuote, isValidUtf8 } from '../../../src/engine/aggregations/go-format';

describe('formatGoFloat (%g, %v)', () => {
  it.each([
    [1234567, '1.234567e+06'],
    [123456, '123456'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-5, '1.5e-05'],
    [1.1, '1.1'],
    [-1.1, '-1.1'],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [1e21, '1e+21'],
    [1e300, '1e+300'],
    [5e-324, '5e-324'],
    [2.5e-7, '2.5e-07'],
    [9223372036854774784, '9.223372036854775e+18'],
  ])('%p → %s', (x, expected) => {
    expect(formatGoFloat(x)).toBe(expected);
  });
});

describe('formatFloatLabelValue (FormatFloat f -1)', () => {
  it.each([
    [1234567, '1234567'],
    [1e6, '1000000'],
    [0.00001, '0.00001'],
    [1.5e-5, '0.000015'],
    [-1.1, '-1.1'],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
    [1e21, '1000000000000000000000'],
    [2.5e-7, '0.00000025'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, `0.${'0'.repeat(323)}5`],
  ])('%p → %s', (x, expected) => {
    expect(formatFloatLabelValue(x)).toBe(expected);
  });
});

describe('goQuote and UTF-8 validity', () => {
  it('quotes like strconv.Quote', () => {
    expect(goQuote('a\udcc5z\x07é\u200b😀')).toBe('"a\\xc5z\\aé\\u200b😀"');
    expect(goQuote('say "hi"\\\n\x01')).toBe('"say \\"hi\\"\\\\\\n\\x01"');
  });

  it('treats lone surrogates as invalid UTF-8', () => {
    expect(isValidUtf8('é😀')).toBe(true);
    expect(isValidUtf8('a\udcc5')).toBe(false);
    expect(isValidUtf8('\ud83d')).toBe(false);
  });
});
