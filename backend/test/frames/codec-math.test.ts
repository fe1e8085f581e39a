import { scratch, text, writeFloat, writeInteger } from '../../src/runtime/frames/ascii-writer';
import { readNsWords, splitNanos, writeNsWords } from '../../src/runtime/frames/time-math';

/** Deterministic PRNG so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function nsViaWords(ms: number, sub: number): bigint {
  const words = new Int32Array(2);
  writeNsWords(words, 0, ms, sub);
  return new BigInt64Array(words.buffer)[0];
}

describe('time limb arithmetic', () => {
  const edge: [number, number][] = [
    [0, 0],
    [0, 1],
    [-1, 0],
    [-1, 999999],
    [1568039445123, 0],
    [1568039445123, 456789],
    [9223372036854, 775807],
    [-9223372036855, 224192],
    [2 ** 21, 0],
    [-(2 ** 21), 0],
    [4294, 967296],
    [4294, 967295],
    [-4295, 32704],
  ];

  it.each(edge)('ms %p + %p ns matches BigInt', (ms, sub) => {
    const expected = BigInt(ms) * 1_000_000n + BigInt(sub);
    expect(nsViaWords(ms, sub)).toBe(expected);
    const words = new Int32Array(new BigInt64Array([expected]).buffer);
    const out = { ms: 0, sub: 0 };
    readNsWords(words[1], words[0], out);
    expect(out).toEqual({ ms, sub });
  });

  it('matches BigInt for 200k random values across the int64 range', () => {
    const next = rng(42);
    const out = { ms: 0, sub: 0 };
    for (let i = 0; i < 200_000; i++) {
      const scale = [1e3, 1e9, 1.7e12, 9.2e12][i & 3];
      const ms = Math.floor((next() * 2 - 1) * scale);
      const sub = Math.floor(next() * 1e6);
      const expected = BigInt(ms) * 1_000_000n + BigInt(sub);
      const got = nsViaWords(ms, sub);
      if (got !== expected) throw new Error(`ms ${ms} sub ${sub}: ${got} != ${expected}`);
      splitNanos(expected, out);
      if (out.ms !== ms || out.sub !== sub) throw new Error(`split ${expected}: ${JSON.stringify(out)}`);
      const words = new Int32Array(new BigInt64Array([expected]).buffer);
      readNsWords(words[1], words[0], out);
      if (out.ms !== ms || out.sub !== sub) throw new Error(`read ${expected}: ${JSON.stringify(out)}`);
    }
  });
});

describe('ascii number writer', () => {
  function floatText(v: number): string {
    const buf = scratch(64);
    return text(buf, writeFloat(buf, 0, v));
  }
  function intText(v: number): string {
    const buf = scratch(64);
    return text(buf, writeInteger(buf, 0, v));
  }

  it.each([
    0,
    1,
    -1,
    9,
    10,
    99,
    100,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    1700000000000,
    -1700000000001,
    2 ** 53,
    -(2 ** 53),
  ])('writes integer %p like String()', (v) => {
    expect(intText(v)).toBe(String(v));
  });

  it.each([
    0.1,
    0.5,
    1.25,
    123.45,
    0.000001,
    1e-7,
    5e-324,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    2 ** 31 - 0.5,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    0.30000000000000004,
    0.9999999,
    0.99999995,
    1234567.000001,
    -42.125,
  ])('writes float %p like String()', (v) => {
    expect(floatText(v)).toBe(String(v));
    expect(Object.is(Number(floatText(v)), v)).toBe(true);
  });

  it('writes -0 as "-0" like Go', () => {
    expect(floatText(-0)).toBe('-0');
    expect(Object.is(JSON.parse(floatText(-0)), -0)).toBe(true);
  });

  it('matches String() for 300k random doubles of various shapes', () => {
    const next = rng(7);
    for (let i = 0; i < 300_000; i++) {
      const r = next();
      let v: number;
      switch (i % 6) {
        case 0:
          v = Math.round(r * 1e8) / 100;
          break;
        case 1:
          v = Math.round((r - 0.5) * 1e12) / 1e6;
          break;
        case 2:
          v = (r - 0.5) * 1e3;
          break;
        case 3:
          v = r * 2 ** 32;
          break;
        case 4:
          v = Math.round(r * 1e6) / 1e6 + Math.floor(r * 2 ** 30);
          break;
        default:
          v = (r - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      }
      const text = floatText(v);
      if (text !== String(v)) throw new Error(`${v}: wrote ${text}, String gives ${String(v)}`);
    }
  });
});
