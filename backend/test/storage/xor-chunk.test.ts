import { STALE_NAN, isStaleMarker } from '../../src/storage';
import { XorChunk, XorIterator } from '../../src/storage/xor-chunk';

function bits(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getUint32(0).toString(16).padStart(8, '0') + dv.getUint32(4).toString(16).padStart(8, '0');
}

function roundTrip(ts: Float64Array, vs: Float64Array): void {
  const c = new XorChunk();
  for (let i = 0; i < ts.length; i++) c.append(ts[i], vs[i]);
  const it = new XorIterator(c.toBytes());
  const out = new Float64Array(1);
  const out32 = new Uint32Array(out.buffer);
  let i = 0;
  while (it.next()) {
    expect(it.t).toBe(ts[i]);
    it.storeValue(out32, 0);
    expect(bits(out[0])).toBe(bits(vs[i]));
    i++;
  }
  expect(i).toBe(ts.length);
}

describe('XOR chunk', () => {
  it('encodes header and first samples as hand-computed', () => {
    const c = new XorChunk();
    c.append(1000, 1.0);
    // count=1; zigzag(1000)=2000 → uvarint d0 0f; 1.0 = 3ff0000000000000
    expect(Buffer.from(c.toBytes()).toString('hex')).toBe('0001d00f3ff0000000000000');
    c.append(1010, 1.0);
    // count=2; Δt=10 → 0a; unchanged value → one 0 bit
    expect(Buffer.from(c.toBytes()).toString('hex')).toBe('0002d00f3ff00000000000000a00');
    const n = new XorChunk();
    n.append(-1, 0);
    expect(Buffer.from(n.toBytes()).toString('hex')).toBe('0001010000000000000000');
  });

  it('round-trips edge values bit-exactly', () => {
    // plain JS arrays of doubles canonicalise NaN payloads in V8, so the stale marker goes in separately
    const special = new Float64Array([
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      0,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      1,
      -1,
      1e-300,
    ]);
    special[3] = STALE_NAN;
    expect(isStaleMarker(special[3])).toBe(true);
    const vs = new Float64Array(special.length * 3);
    const ts = new Float64Array(vs.length);
    for (let i = 0; i < vs.length; i++) {
      vs[i] = special[(i * 7) % special.length];
      ts[i] = -5_000_000 + i * (i % 3 === 0 ? 1 : 2 ** 40);
    }
    roundTrip(ts, vs);
    let stale = 0;
    for (let i = 0; i < vs.length; i++) if (isStaleMarker(vs[i])) stale++;
    expect(stale).toBe(3);
  });

  it('keeps the stale marker distinct from an ordinary NaN', () => {
    const c = new XorChunk();
    const vs = new Float64Array([NaN, 0, NaN]);
    vs[1] = STALE_NAN;
    [1, 2, 3].forEach((t, i) => c.append(t, vs[i]));
    const it = new XorIterator(c.toBytes());
    const got: boolean[] = [];
    const out = new Float64Array(1);
    while (it.next()) {
      it.storeValue(new Uint32Array(out.buffer), 0);
      got.push(isStaleMarker(out[0]));
    }
    expect(got).toEqual([false, true, false]);
  });

  it('round-trips a 1-sample chunk and huge / negative deltas', () => {
    roundTrip(new Float64Array([-123456789]), new Float64Array([-0]));
    const ts = new Float64Array([
      -(2 ** 51),
      0,
      1,
      2 ** 51,
      2 ** 51 + 1,
      2 ** 51 + 8193,
      2 ** 51 + 8194,
      2 ** 51 + 200000,
    ]);
    roundTrip(
      ts,
      new Float64Array(ts.length).map((_, i) => i * 0.1)
    );
  });

  it('round-trips random data across every dod bucket', () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(rnd() * 200);
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      let t = Math.floor(rnd() * 1e12) - 5e11;
      const scales = [0, 1, 8000, 60000, 500000, 1e10];
      for (let i = 0; i < n; i++) {
        t += Math.floor(rnd() * scales[Math.floor(rnd() * scales.length)]);
        ts[i] = t;
        vs[i] = rnd() < 0.3 ? vs[Math.max(0, i - 1)] : rnd() < 0.5 ? Math.floor(rnd() * 100) : (rnd() - 0.5) * 1e6;
      }
      roundTrip(ts, vs);
    }
  });

  it('compresses regular scrapes to a couple of bytes per sample', () => {
    const c = new XorChunk();
    for (let i = 0; i < 120; i++) c.append(1_700_000_000_000 + i * 15000, 1000 + (i % 5));
    expect(c.toBytes().length / 120).toBeLessThan(3);
  });
});
