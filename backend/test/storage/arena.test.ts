/** The shared byte arena of open chunks and keys, and the WAL checksum. */
import { ArenaSpan, ChunkArena } from '../../src/storage/chunk-arena';
import { crc32, crc32js } from '../../src/storage/crc32';
import { XorChunk } from '../../src/storage/xor-chunk';
import { decodeChunk, sampleColumns } from '../../src/storage/xor-decode';
import { mulberry32 as rng } from '../../src/datasource/random';

describe('ChunkArena', () => {
  it('keeps every span’s bytes through growth, release and compaction', () => {
    const arena = new ChunkArena();
    const r = rng(1);
    const spans: Array<ArenaSpan & { bytes: number[] }> = [];
    const fill = (s: ArenaSpan & { bytes: number[] }) => {
      for (let i = 0; i < s.bytes.length; i++) arena.buf[s.base + i] = s.bytes[i];
    };
    for (let step = 0; step < 20_000; step++) {
      const x = r();
      if (x < 0.3 || spans.length === 0) {
        const s = { base: 0, cap: 0, spanIndex: -1, bytes: [] as number[] };
        s.bytes = Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256));
        arena.resize(s, s.bytes.length, 0);
        fill(s);
        spans.push(s);
      } else if (x < 0.8) {
        const s = spans[Math.floor(r() * spans.length)];
        const more = Array.from({ length: 1 + Math.floor(r() * 60) }, () => Math.floor(r() * 256));
        arena.resize(s, s.bytes.length + more.length, s.bytes.length);
        s.bytes.push(...more);
        fill(s);
      } else {
        const i = Math.floor(r() * spans.length);
        arena.release(spans[i]);
        spans.splice(i, 1);
      }
    }
    for (const s of spans) {
      expect(Array.from(arena.buf.subarray(s.base, s.base + s.bytes.length))).toEqual(s.bytes);
    }
    expect(arena.bytesInUse()).toBe(spans.reduce((n, s) => n + s.cap, 0));
  });

  it('holds many growing XOR chunks side by side, each decoding to its own samples', () => {
    const arena = new ChunkArena();
    const chunks = Array.from({ length: 300 }, () => new XorChunk(arena));
    const r = rng(2);
    const expected: number[][] = chunks.map(() => []);
    for (let i = 0; i < 120; i++) {
      chunks.forEach((c, k) => {
        const v = k % 2 === 0 ? i * k : r() * 1e6;
        c.append(1_700_000_000_000 + i * 15_000, v);
        expected[k].push(v);
      });
    }
    chunks.forEach((c, k) => {
      const out = sampleColumns(c.numSamples);
      decodeChunk(c.toBytes(), out, -Infinity, Infinity);
      expect(Array.from(out.vs)).toEqual(expected[k]);
    });
  });
});

describe('crc32', () => {
  it('native and JS agree, on the check value and on random slices', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32js(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    const r = rng(3);
    const bytes = Uint8Array.from({ length: 3000 }, () => Math.floor(r() * 256));
    for (let k = 0; k < 300; k++) {
      const start = Math.floor(r() * 1000);
      const end = start + Math.floor(r() * 2000);
      expect(crc32(bytes, start, end)).toBe(crc32js(bytes, start, end));
    }
  });
});
