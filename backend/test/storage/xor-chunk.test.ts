import { STALE_NAN, isStaleMarker } from '../../src/storage';
import { XorChunk } from '../../src/storage/xor-chunk';
import { ChunkDecodeError, decodeChunk, sampleColumns } from '../../src/storage/xor-decode';

function decodeAll(bytes: Uint8Array) {
  const out = sampleColumns(2000);
  decodeChunk(bytes, out, -Infinity, Infinity);
  return out;
}

function bits(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getUint32(0).toString(16).padStart(8, '0') + dv.getUint32(4).toString(16).padStart(8, '0');
}

function roundTrip(ts: Float64Array, vs: Float64Array): void {
  const c = new XorChunk();
  for (let i = 0; i < ts.length; i++) c.append(ts[i], vs[i]);
  const out = decodeAll(c.toBytes());
  expect(out.n).toBe(ts.length);
  for (let i = 0; i < out.n; i++) {
    expect(out.ts[i]).toBe(ts[i]);
    expect(bits(out.vs[i])).toBe(bits(vs[i]));
  }
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
    const out = decodeAll(c.toBytes());
    expect(Array.from(out.vs.subarray(0, out.n), isStaleMarker)).toEqual([false, true, false]);
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

  it('decodes only the samples inside [mint, maxt]', () => {
    const c = new XorChunk();
    for (let i = 0; i < 50; i++) c.append(1000 * i, i * 1.5);
    const out = sampleColumns(50);
    expect(decodeChunk(c.toBytes(), out, 10_000, 19_999)).toBe(10);
    expect(Array.from(out.ts.subarray(0, out.n))).toEqual(Array.from({ length: 10 }, (_, i) => 1000 * (i + 10)));
    expect(Array.from(out.vs.subarray(0, out.n))).toEqual(Array.from({ length: 10 }, (_, i) => (i + 10) * 1.5));
    // appends after what is already there
    expect(decodeChunk(c.toBytes(), out, 49_000, Infinity)).toBe(1);
    expect(out.n).toBe(11);
    expect(out.ts[10]).toBe(49_000);
  });

  it('rejects a chunk whose bits end before its last sample', () => {
    const c = new XorChunk();
    for (let i = 0; i < 30; i++) c.append(1000 * i + (i % 3) * 7, Math.sqrt(i));
    const bytes = c.toBytes();
    for (const cut of [3, 10, bytes.length - 4]) {
      expect(() => decodeAll(bytes.subarray(0, cut))).toThrow(ChunkDecodeError);
    }
  });

  it('compresses regular scrapes to a couple of bytes per sample', () => {
    const c = new XorChunk();
    for (let i = 0; i < 120; i++) c.append(1_700_000_000_000 + i * 15000, 1000 + (i % 5));
    expect(c.toBytes().length / 120).toBeLessThan(3);
  });
});
