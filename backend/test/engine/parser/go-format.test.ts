/**
 * Go's number and string texts; expected values printed by Go 1.26 (strconv.ParseFloat, fmt %v/%g/%.2g/%f,
 * strconv.FormatFloat 'f' -1, labels.FormatOpenMetricsFloat, strconv.Quote, strconv.QuoteRune).
 */
import {
  compareUtf8,
  formatFloat,
  formatGoFixed,
  formatGoFloat,
  formatOpenMetricsFloat,
  goQuote,
  goQuoteAsciiEscapes,
  parseGoFloat,
  quoteRune,
} from '../../../src/engine/parser/go-format';
import { isValidUtf8 } from '../../../src/engine/parser/string-literal';

describe('parseGoFloat', () => {
  it('accepts what strconv.ParseFloat accepts', () => {
    expect(parseGoFloat('0.1')).toBe(0.1);
    expect(parseGoFloat('.2')).toBe(0.2);
    expect(parseGoFloat('1e0')).toBe(1);
    expect(parseGoFloat('2.0e-1')).toBe(0.2);
    expect(parseGoFloat('1.')).toBe(1);
    expect(parseGoFloat('+Inf')).toBe(Infinity);
    expect(parseGoFloat('+inf')).toBe(Infinity);
    expect(parseGoFloat('Infinity')).toBe(Infinity);
    expect(parseGoFloat('-inf')).toBe(-Infinity);
    expect(parseGoFloat('nan')).toBeNaN();
    expect(parseGoFloat('1_000')).toBe(1000);
    expect(parseGoFloat('0x1.8p1')).toBe(3);
    expect(parseGoFloat('-0x1p-2')).toBe(-0.25);
  });

  it('rejects what it rejects', () => {
    for (const s of ['', ' 1', '1 ', 'Hello World', '-nan', '0x10', '1e400', '_1', '1__0', 'infin', '0b101', '1e']) {
      expect(parseGoFloat(s)).toBeUndefined();
    }
  });
});

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
    [-0.1, '-0.1'],
    [2, '2'],
    [0, '0'],
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

  it('is %.2g with a precision', () => {
    expect([10, 100, 1.25, 1, 0.5, 12345, 0.000123, 0.125, 0.375, 99.5].map((f) => formatGoFloat(f, 2))).toEqual([
      '10',
      '1e+02',
      '1.2',
      '1',
      '0.5',
      '1.2e+04',
      '0.00012',
      // exact ties round half to even, as in Go
      '0.12',
      '0.38',
      '1e+02',
    ]);
  });
});

describe('formatFloat (FormatFloat f -1)', () => {
  it.each([
    [1, '1'],
    [0.1, '0.1'],
    [1234567, '1234567'],
    [1e6, '1000000'],
    [0.00001, '0.00001'],
    [1.5e-5, '0.000015'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [123456789.125, '123456789.125'],
    [-1.1, '-1.1'],
    [0, '0'],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [1e21, '1000000000000000000000'],
    [2.5e-7, '0.00000025'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, `0.${'0'.repeat(323)}5`],
  ])('%p → %s', (x, expected) => {
    expect(formatFloat(x)).toBe(expected);
  });
});

describe('formatGoFixed (%f) and formatOpenMetricsFloat', () => {
  it('formats %f', () => {
    expect(formatGoFixed(1)).toBe('1.000000');
    expect(formatGoFixed(-0.25)).toBe('-0.250000');
    expect(formatGoFixed(1e20)).toBe('100000000000000000000.000000');
    expect(formatGoFixed(1e21)).toBe('1000000000000000000000.000000');
    expect(formatGoFixed(-1e25)).toBe('-10000000000000000905969664.000000');
    expect([NaN, Infinity, -Infinity].map((f) => formatGoFixed(f))).toEqual(['NaN', '+Inf', '-Inf']);
  });

  it('can keep JS exponent form from 1e21 on, as the smoothing messages print it', () => {
    expect(formatGoFixed(1e20, true)).toBe('100000000000000000000.000000');
    expect(formatGoFixed(1e21, true)).toBe('1e+21');
    expect(formatGoFixed(-2.5e22, true)).toBe('-2.5e+22');
    expect(formatGoFixed(0.5, true)).toBe('0.500000');
    expect([NaN, Infinity, -Infinity].map((f) => formatGoFixed(f, true))).toEqual(['NaN', '+Inf', '-Inf']);
  });

  it('formats OpenMetrics floats', () => {
    expect([0, 1, -1, 0.25, 2, 1e21, NaN, Infinity].map(formatOpenMetricsFloat)).toEqual([
      '0.0',
      '1.0',
      '-1.0',
      '0.25',
      '2.0',
      '1e+21',
      'NaN',
      '+Inf',
    ]);
  });
});

describe('quoting', () => {
  it('quotes like strconv.Quote', () => {
    expect(goQuote('a"b\\c\n\t\u00e9\x01\u200b\x7f\u{1F600}')).toBe('"a\\"b\\\\c\\n\\té\\x01\\u200b\\x7f😀"');
    expect(goQuote('\x07\b\f\r\v')).toBe('"\\a\\b\\f\\r\\v"');
    expect(goQuote('a\udcc5z\x07é\u200b😀')).toBe('"a\\xc5z\\aé\\u200b😀"');
    expect(goQuote('say "hi"\\\n\x01')).toBe('"say \\"hi\\"\\\\\\n\\x01"');
    expect(goQuote('\u00a0\u0085\u{e0001}')).toBe('"\\u00a0\\u0085\\U000e0001"');
    // Surrogate-escaped raw bytes print as \xNN; any other lone surrogate as Go's replacement rune.
    expect(goQuote('a\udcffb\udc80')).toBe('"a\\xffb\\x80"');
    expect(goQuote('\ud800x\udc7f')).toBe('"\\ufffdx\\ufffd"');
  });

  it('escapes only ASCII for the annotation texts', () => {
    const ascii = 'a"b\\c\n\t\x01\x7f\x07\b\f\r\v ~';
    expect(goQuoteAsciiEscapes(ascii)).toBe(goQuote(ascii));
    // What goQuote escapes above U+007F (non-printables, invalid bytes, lone surrogates) stays as is.
    for (const s of ['é😀', '\u00a0\u0085\u200b\u{e0001}', 'a\udcc5z', '\ud800x\udc7f']) {
      expect(goQuoteAsciiEscapes(s)).toBe(`"${s}"`);
    }
  });

  it('quotes runes like strconv.QuoteRune', () => {
    expect(['q', "'", '"', '\n', '\x00', 'é', '\u200b'].map(quoteRune)).toEqual([
      "'q'",
      "'\\''",
      "'\"'",
      "'\\n'",
      "'\\x00'",
      "'é'",
      "'\\u200b'",
    ]);
  });
});

describe('compareUtf8', () => {
  it('orders strings by UTF-8 bytes like Go', () => {
    expect(compareUtf8('\uffff', '\u{1f600}')).toBeLessThan(0);
    expect('\uffff' < '\u{1f600}').toBe(false);
    expect(compareUtf8('a', 'a')).toBe(0);
    expect(compareUtf8('b', 'a')).toBeGreaterThan(0);
  });
});

describe('isValidUtf8', () => {
  it('treats lone surrogates as invalid UTF-8', () => {
    expect(isValidUtf8('é😀')).toBe(true);
    expect(isValidUtf8('')).toBe(true);
    expect(isValidUtf8('a\udcc5')).toBe(false);
    expect(isValidUtf8('\ud83d')).toBe(false);
    expect(isValidUtf8('\ud83d\ud83d\ude00')).toBe(false);
    expect(isValidUtf8('\ud83d\ude00\ude00')).toBe(false);
  });
});
