import { arithmetic, goPow } from '../../../src/engine/binary/arithmetic';
import { compare } from '../../../src/engine/binary/comparison';
import { prometheusLabelsString } from '../../../src/engine/binary/prometheus-labels-string';

describe('Go float semantics', () => {
  it('math.Pow special cases that JS ** answers differently', () => {
    expect(goPow(1, NaN)).toBe(1);
    expect(goPow(1, Infinity)).toBe(1);
    expect(goPow(-1, Infinity)).toBe(1);
    expect(goPow(-1, -Infinity)).toBe(1);
    expect(goPow(NaN, 0)).toBe(1);
    expect(goPow(NaN, 1)).toBeNaN();
    expect(goPow(-8, 1 / 3)).toBeNaN();
    expect(goPow(0, -1)).toBe(Infinity);
    expect(goPow(-0, -1)).toBe(-Infinity);
    expect(goPow(2, 81)).toBe(2 ** 81);
  });

  it('math.Mod takes the sign of the dividend', () => {
    expect(arithmetic('%', -7, 3)).toBe(-1);
    expect(arithmetic('%', 7, -3)).toBe(1);
    expect(arithmetic('%', 5, Infinity)).toBe(5);
    expect(arithmetic('%', Infinity, 5)).toBeNaN();
    expect(arithmetic('%', 5, 0)).toBeNaN();
    expect(arithmetic('%', 1000, 0.3)).toBeCloseTo(0.1, 10);
  });

  it('division by zero', () => {
    expect(arithmetic('/', 1, 0)).toBe(Infinity);
    expect(arithmetic('/', -1, 0)).toBe(-Infinity);
    expect(arithmetic('/', 0, 0)).toBeNaN();
  });

  it('atan2', () => {
    expect(arithmetic('atan2', 10, 20)).toBe(0.4636476090008061);
    expect(arithmetic('atan2', 10, NaN)).toBeNaN();
  });

  it('comparisons with NaN are false except !=', () => {
    for (const op of ['==', '>', '<', '>=', '<='] as const) {
      expect(compare(op, NaN, NaN)).toBe(false);
    }
    expect(compare('!=', NaN, NaN)).toBe(true);
  });
});

describe('Prometheus labels rendering', () => {
  it('quotes values like Go strconv.Quote', () => {
    expect(prometheusLabelsString([{ name: 'a', value: 'x"y\\z\n\u00a0é' }])).toBe('{a="x\\"y\\\\z\\n\\u00a0é"}');
  });

  it('quotes label names that are not legacy-valid', () => {
    expect(
      prometheusLabelsString([
        { name: '__name__', value: 'm' },
        { name: 'a.b', value: 'x' },
      ])
    ).toBe('{__name__="m", "a.b"="x"}');
    expect(prometheusLabelsString([])).toBe('{}');
  });
});
