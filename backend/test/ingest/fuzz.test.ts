/**
 * Bounded, deterministic fuzzing over real HTTP: 2,000 mutated, truncated and random bodies from a fixed
 * seed. Every answer must be 204, 400, 413 or 415 (never 500 or a dropped connection), a rejected request
 * must leave the store untouched, and the server must still take a valid request afterwards.
 */
import { encodeV1, encodeV2, sendRemoteWrite, type SenderSeries } from '../../src/ingest/sender';
import { snappyCompress } from '../../src/ingest/snappy';
import { rng, startTestServer } from './helpers';

const N = 2000;

function corpus(r: () => number): SenderSeries[] {
  return Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => ({
    labels: [
      ['__name__', `metric_${i}`],
      ['instance', `host-${Math.floor(r() * 100)}:9100`],
      ['job', 'node'],
    ] as Array<[string, string]>,
    timestamps: [1000, 2000, 3000],
    values: [r(), r() * 1e9, -r()],
  }));
}

function mutate(r: () => number, input: Uint8Array): Uint8Array {
  const b = Buffer.from(input);
  switch (Math.floor(r() * 5)) {
    case 0: // truncate
      return b.subarray(0, Math.floor(r() * b.length));
    case 1: {
      // flip a few bits
      const flips = 1 + Math.floor(r() * 4);
      for (let i = 0; i < flips && b.length > 0; i++) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      return b;
    }
    case 2: {
      // overwrite a byte with an extreme value
      if (b.length > 0) b[Math.floor(r() * b.length)] = [0, 0xff, 0x80, 0x7f][Math.floor(r() * 4)];
      return b;
    }
    case 3: {
      // duplicate a slice
      const at = Math.floor(r() * b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + Math.floor(r() * 20)), b.subarray(at)]);
    }
    default: {
      // random bytes
      const out = Buffer.alloc(Math.floor(r() * 300));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * 256);
      return out;
    }
  }
}

it(`answers ${N} hostile bodies with 204/400/413/415 and stores only accepted requests`, async () => {
  const { server, storage, url } = await startTestServer({ maxBodyBytes: 2048, maxDecodedBytes: 1 << 20 });
  try {
    const r = rng(20261122);
    const seen: Record<number, number> = {};
    for (let i = 0; i < N; i++) {
      const version = r() < 0.5 ? 1 : 2;
      const payload = (version === 1 ? encodeV1 : encodeV2)(corpus(r));
      let body: Uint8Array;
      const where = r();
      if (where < 0.45) {
        body = snappyCompress(mutate(r, payload)); // reaches the protobuf decoder and validation
      } else if (where < 0.9) {
        body = mutate(r, snappyCompress(payload)); // corrupts the snappy stream
      } else if (where < 0.95) {
        body = Buffer.alloc(2049 + Math.floor(r() * 4000), i & 0xff); // over the body limit
      } else {
        body = snappyCompress(payload);
      }
      const headers: Record<string, string | undefined> = {};
      const h = r();
      if (h < 0.03) headers['Content-Encoding'] = 'zstd';
      else if (h < 0.06) headers['Content-Type'] = 'application/x-protobuf;proto=fuzz';
      else if (h < 0.09) headers['Content-Type'] = undefined;

      const before = storage.batches.length;
      const res = await sendRemoteWrite(url, body, { version, compressed: true, headers });
      seen[res.status] = (seen[res.status] ?? 0) + 1;
      if (![204, 400, 413, 415].includes(res.status)) {
        throw new Error(`request ${i}: unexpected ${res.status} ${res.body}`);
      }
      if (res.status !== 204 && storage.batches.length !== before) {
        throw new Error(`request ${i}: rejected with ${res.status} but reached the store`);
      }
      if (res.status !== 204) {
        expect(res.body.length).toBeGreaterThan(0); // a message naming the problem
      }
    }
    // Every kind of answer actually occurred (else the fuzzer is not exercising the paths).
    expect(Object.keys(seen).sort()).toEqual(['204', '400', '413', '415']);
    expect(seen[400]).toBeGreaterThan(N / 2);

    const before = storage.batches.length;
    const ok = await sendRemoteWrite(
      url,
      encodeV2([{ labels: [['__name__', 'after_fuzz']], timestamps: [42], values: [4.2] }]),
      { version: 2 }
    );
    expect(ok.status).toBe(204);
    expect(storage.batches.length).toBe(before + 1);
    expect(storage.batches[before][0].labels).toEqual([{ name: '__name__', value: 'after_fuzz' }]);
    expect(Array.from(storage.batches[before][0].values)).toEqual([4.2]);
  } finally {
    await server.close();
  }
}, 60_000);
