/** Classic-histogram quantiles and fractions against Prometheus' histograms.test expectations. */
import {
  almostEqual,
  bucketFraction,
  bucketQuantile,
  parseBucketBound,
  type Bucket,
} from '../../../src/engine/functions/bucket-quantile';

function buckets(spec: [string, number][]): Bucket[] {
  return spec.map(([le, count]) => ({ upperBound: parseBucketBound(le) as number, count }));
}

// The histograms of histograms.test at 50m (`0+Nx10` loaded at 5m: the value is 10·N).
const positive3 = (): Bucket[] =>
  buckets([
    ['0', 0],
    ['0.1', 50],
    ['.2', 70],
    ['1e0', 110],
    ['+Inf', 110],
  ]);
const negative3 = (): Bucket[] =>
  buckets([
    ['-.25', 0],
    ['-.2', 10],
    ['-0.1', 20],
    ['0.3', 20],
    ['+Inf', 20],
  ]);
const positive = (): Bucket[] =>
  buckets([
    ['0.1', 50],
    ['.2', 70],
    ['1e0', 110],
    ['+Inf', 120],
  ]);
const negative = (): Bucket[] =>
  buckets([
    ['-.2', 10],
    ['-0.1', 20],
    ['0.3', 20],
    ['+Inf', 30],
  ]);

function q(phi: number, b: Bucket[]): number {
  return bucketQuantile(phi, b).value;
}

describe('bucketQuantile', () => {
  it('interpolates inside the bucket', () => {
    const pos = [0, 0.25, 0.5, 0.75, 1].map((phi) => q(phi, positive3()));
    [0, 0.055, 0.125, 0.45, 1].forEach((expected, i) => expect(pos[i]).toBeCloseTo(expected, 12));
    const neg = [0, 0.25, 0.5, 0.75, 1].map((phi) => q(phi, negative3()));
    [-0.25, -0.225, -0.2, -0.15, -0.1].forEach((expected, i) => expect(neg[i]).toBeCloseTo(expected, 12));
  });

  it('treats the lowest and highest buckets specially', () => {
    expect(q(0, positive())).toBe(0);
    expect(q(0, negative())).toBe(-0.2);
    expect(q(1, positive())).toBe(1);
    expect(q(1, negative())).toBe(0.3);
    expect(q(0.2, positive())).toBeCloseTo(0.048, 12);
    expect(q(0.2, negative())).toBe(-0.2);
    expect(q(0.5, positive())).toBeCloseTo(0.15, 12);
    expect(q(0.5, negative())).toBeCloseTo(-0.15, 12);
    expect(q(0.8, positive())).toBeCloseTo(0.72, 12);
    expect(q(0.8, negative())).toBe(0.3);
  });

  it('answers an invalid φ before looking at the buckets', () => {
    expect(q(-0.1, positive())).toBe(-Infinity);
    expect(q(1.01, positive())).toBe(Infinity);
    expect(q(NaN, positive())).toBeNaN();
    expect(q(2, buckets([['1', 1]]))).toBe(Infinity);
  });

  it('needs a +Inf bucket, two bounds and observations', () => {
    expect(
      q(
        0.5,
        buckets([
          ['1', 1],
          ['2', 2],
        ])
      )
    ).toBeNaN();
    expect(q(0.5, buckets([['+Inf', 4]]))).toBeNaN();
    expect(
      q(
        0.5,
        buckets([
          ['+inf', 0],
          ['+Inf', 0],
        ])
      )
    ).toBeNaN();
    expect(
      q(
        0.2,
        buckets([
          ['0.1', 0],
          ['0.2', 0],
          ['+Inf', 0],
        ])
      )
    ).toBeNaN();
    expect(q(0.5, [])).toBeNaN();
  });

  it('puts quantiles in the middle of buckets', () => {
    const h2 = () =>
      buckets([
        ['0', 0],
        ['2', 1],
        ['4', 2],
        ['6', 3],
        ['+Inf', 3],
      ]);
    expect([1 / 6, 0.5, 5 / 6].map((phi) => q(phi, h2()))).toEqual([1, 3, 5]);
  });

  it('coalesces equal bounds written differently', () => {
    const r = 1 / 300;
    const mixed = buckets([
      ['0.1', r],
      ['0.2', r],
      ['2e-1', r],
      ['2.0e-1', r],
      ['+Inf', 4 * r],
    ]);
    expect(q(0.5, mixed)).toBeCloseTo(0.15, 12);
  });

  it('forces monotonicity and reports where', () => {
    const nonmonotonic = () =>
      buckets([
        ['0.1', 20],
        ['1', 10],
        ['10', 50],
        ['100', 40],
        ['1000', 90],
        ['+Inf', 80],
      ]);
    const low = bucketQuantile(0.01, nonmonotonic());
    expect(low.value).toBeCloseTo(0.0045, 12);
    expect(low.fix).toEqual({ forced: true, minBucket: 1, maxBucket: Infinity, maxDiff: 10 });
    expect(q(0.5, nonmonotonic())).toBe(8.5);
    expect(q(0.99, nonmonotonic())).toBeCloseTo(979.75, 9);
  });

  it('ignores tiny differences silently', () => {
    const result = bucketQuantile(
      0.5,
      buckets([
        ['1', 1e12],
        ['2', 1e12 - 0.5],
        ['+Inf', 2e12],
      ])
    );
    expect(result.fix.forced).toBe(false);
  });
});

describe('bucketFraction', () => {
  const h2 = () =>
    buckets([
      ['0', 0],
      ['2', 10],
      ['4', 20],
      ['6', 30],
      ['+Inf', 30],
    ]);

  it('interpolates linearly', () => {
    expect(bucketFraction(0, 4, h2())).toBeCloseTo(0.6666666666666666, 14);
    expect(bucketFraction(0, 6, h2())).toBe(1);
    expect(bucketFraction(0, 3.5, h2())).toBeCloseTo(0.5833333333333334, 14);
    expect(
      bucketFraction(
        -Infinity,
        1,
        buckets([
          ['0.5', 1],
          ['+Inf', 3],
        ])
      )
    ).toBeCloseTo(1 / 3, 14);
  });

  it('handles degenerate bounds', () => {
    expect(bucketFraction(3, 2, h2())).toBe(0);
    expect(bucketFraction(2, 2, h2())).toBe(0);
    expect(bucketFraction(NaN, 1, h2())).toBeNaN();
    expect(bucketFraction(0, 1, buckets([['1', 1]]))).toBeNaN();
    expect(bucketFraction(-Infinity, Infinity, h2())).toBe(1);
  });
});

describe('parseBucketBound and almostEqual', () => {
  it('parses le like Prometheus', () => {
    expect(['0.1', '+Inf', '+inf', '2.0e-1', ''].map(parseBucketBound)).toEqual([
      0.1,
      Infinity,
      Infinity,
      0.2,
      undefined,
    ]);
    expect(parseBucketBound('NaN')).toBeUndefined();
    expect(parseBucketBound('Hello World')).toBeUndefined();
  });

  it('compares relatively', () => {
    expect(almostEqual(1, 1 + 1e-13, 1e-12)).toBe(true);
    expect(almostEqual(1, 1.1, 1e-12)).toBe(false);
    expect(almostEqual(NaN, NaN, 1e-12)).toBe(true);
    expect(almostEqual(0, 1e-300, 1e-12)).toBe(false);
    expect(almostEqual(0, 1e-320, 1e-12)).toBe(true);
  });
});
