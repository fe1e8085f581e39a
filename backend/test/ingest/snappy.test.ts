import { compress } from 'snappyjs';

import { IngestError } from '../../src/ingest/errors';
import { snappyUncompress } from '../../src/ingest/snappy';
import { rng } from './helpers';

function expect400(f: () => unknown, message: RegExp) {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IngestError);
  expect((err as IngestError).status).toBe(400);
  expect((err as IngestError).message).toMatch(message);
}

describe('strict snappy block decoder', () => {
  it('decodes what snappyjs compresses, byte for byte (random and repetitive inputs)', () => {
    const r = rng(42);
    for (let n = 0; n < 200; n++) {
      const len = Math.floor(r() * 5000);
      const input = new Uint8Array(len);
      const alphabet = 1 + Math.floor(r() * 255); // small alphabets produce copies
      for (let i = 0; i < len; i++) input[i] = Math.floor(r() * alphabet);
      const out = snappyUncompress(compress(input), 1 << 20);
      expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
    }
  });

  it('decodes long literals and copies with 2- and 4-byte offsets (hand-built stream)', () => {
    // length 70: literal of 66 bytes (tag 60 → 1 extra length byte), then copy-2 of 4 bytes offset 66.
    const lit = Buffer.alloc(66, 7);
    lit[0] = 1;
    const stream = Buffer.concat([Buffer.from([70, 60 << 2, 65]), lit, Buffer.from([((4 - 1) << 2) | 2, 66, 0])]);
    const out = snappyUncompress(stream, 100);
    expect(out.length).toBe(70);
    expect(out[66]).toBe(1);
    const four = Buffer.concat([Buffer.from([8, 3 << 2, 1, 2, 3, 4, ((4 - 1) << 2) | 3, 4, 0, 0, 0])]);
    expect(Array.from(snappyUncompress(four, 100))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('rejects streams snappyjs would silently accept', () => {
    // Declares 10 bytes but produces 3: snappyjs returns 3 bytes + 7 zeros.
    expect400(() => snappyUncompress(Buffer.from([10, 2 << 2, 1, 2, 3]), 100), /decoded 3 of 10/);
    // Produces more than declared.
    expect400(() => snappyUncompress(Buffer.from([2, 2 << 2, 1, 2, 3]), 100), /corrupt/);
    // Truncated 1-byte-offset copy.
    expect400(() => snappyUncompress(Buffer.from([5, 0 << 2, 1, 1]), 100), /corrupt/);
    // Copy offset beyond the output so far / zero offset.
    expect400(() => snappyUncompress(Buffer.from([5, 0, 1, ((4 - 1) << 2) | 2, 5, 0]), 100), /corrupt/);
    expect400(() => snappyUncompress(Buffer.from([5, 0, 1, ((4 - 1) << 2) | 2, 0, 0]), 100), /corrupt/);
    // Literal running past the end of the input.
    expect400(() => snappyUncompress(Buffer.from([5, 4 << 2, 1]), 100), /corrupt/);
    // Bad / missing length header.
    expect400(() => snappyUncompress(Buffer.from([]), 100), /length header/);
    expect400(() => snappyUncompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 1e12), /length header/);
  });

  it('refuses a declared size above the limit before allocating', () => {
    expect400(() => snappyUncompress(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x0f]), 1 << 20), /exceeds the limit/);
  });
});
