import {
  formatGoFixed,
  formatGoFloat,
  formatOpenMetricsFloat,
  parseGoFloat,
} from '../../../src/engine/functions/go-float';

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

describe('formatGoFloat', () => {
  it('is %g', () => {
    expect(
      [1e6, 100000, 0.00001, 1234567, -0.1, 1e21, 2, NaN, Infinity, -Infinity, 0.0001].map((f) => formatGoFloat(f))
    ).toEqual(['1e+06', '100000', '1e-05', '1.234567e+06', '-0.1', '1e+21', '2', 'NaN', '+Inf', '-Inf', '0.0001']);
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

  it('formats %f and OpenMetrics floats', () => {
    expect(formatGoFixed(1)).toBe('1.000000');
    expect(formatGoFixed(NaN)).toBe('NaN');
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
