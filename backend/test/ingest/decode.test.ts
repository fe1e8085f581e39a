/**
 * The hand-written decoders against the store's series index: the fast path (known series found by
 * their raw label bytes, predicted from the previous request) must give exactly what the slow path
 * gives, and fall back whenever the bytes are not the canonical encoding of a stored label set.
 */
import { WriteRequest } from '../../src/generated/prometheus/types';
import { decodeV1 } from '../../src/ingest/decode-v1';
import { decodeV2 } from '../../src/ingest/decode-v2';
import { IngestError } from '../../src/ingest/errors';
import { DEFAULT_LIMITS, type IngestLimits } from '../../src/ingest/limits';
import { encodeV1, encodeV2, type SenderSeries } from '../../src/ingest/sender';
import type { AppendBatch, SeriesIndex, SeriesRef } from '../../src/ingest/store-api';
import { openScratchStorage, type Storage } from '../../src/storage';
import { bits, rng, STALE_NAN_HEX, valuesFromBits } from './helpers';

const T0 = Date.now() - 3600_000;

type Decode = (body: Uint8Array, limits: IngestLimits, index?: SeriesIndex) => ReturnType<typeof decodeV1>;
const decoders: Array<[1 | 2, Decode, (s: readonly SenderSeries[]) => Uint8Array]> = [
  [1, decodeV1, encodeV1],
  [2, decodeV2, encodeV2],
];

/** What a batch holds, comparable across paths: labels as pairs, timestamps, value bits. */
function contents(batch: AppendBatch) {
  return batch.series.map((entry, k) => ({
    labels: (Array.isArray(entry) ? entry : (entry as SeriesRef).labels).map((l) => [l.name, l.value]),
    timestamps: Array.from(batch.timestamps.subarray(batch.starts[k], batch.starts[k + 1])),
    values: Array.from(batch.values.subarray(batch.starts[k], batch.starts[k + 1]), bits),
  }));
}

/** The store's index, counting the map lookups (predicted series are confirmed without one). */
class CountingIndex implements SeriesIndex {
  lookups = 0;
  constructor(private readonly store: Storage) {}
  lookup(key: string): SeriesRef | undefined {
    this.lookups++;
    return this.store.lookup(key);
  }
  lookupBytes(buf: Buffer, start: number, end: number, guess?: SeriesRef): SeriesRef | undefined {
    const ref = this.store.lookupBytes(buf, start, end, guess);
    if (ref === undefined || ref !== guess) this.lookups++;
    return ref;
  }
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof IngestError) return `${err.status} ${err.message}`;
    throw err;
  }
  return 'no error';
}

function corpus(r: () => number, n: number, round: number): SenderSeries[] {
  const names = ['up', 'temp_℃', 'http_requests_total', 'x'.repeat(200)];
  return Array.from({ length: n }, (_, i) => ({
    labels: [
      ['__name__', names[i % names.length]],
      ['city', i % 5 === 0 ? 'Zürich 🌡' : `city-${i % 7}`],
      ['instance', `10.0.${i >> 8}.${i & 255}:9100`],
      ['job', i % 2 === 0 ? 'node' : 'api'],
    ] as Array<[string, string]>,
    timestamps: [T0 + round * 15_000, T0 + round * 15_000 + 1],
    values: valuesFromBits([bits(r() * 1e6), round === 3 && i === 2 ? STALE_NAN_HEX : bits(-r())]),
  }));
}

describe.each(decoders)('v%d decoder with the store index', (_version, decode, encode) => {
  let store: Storage;
  beforeEach(() => {
    store = openScratchStorage();
  });

  it('gives known series by handle, exactly what the slow path gives, with one map lookup per request', async () => {
    const r = rng(7);
    for (let round = 0; round < 4; round++) {
      const body = encode(corpus(r, 300, round));
      const slow = decode(body, DEFAULT_LIMITS);
      const index = new CountingIndex(store);
      const fast = decode(body, DEFAULT_LIMITS, index);
      expect(contents(fast.batch)).toEqual(contents(slow.batch));
      expect(fast.samples).toBe(600);
      if (round === 0) {
        expect(fast.batch.series.every((e) => Array.isArray(e))).toBe(true); // all new
      } else {
        expect(fast.batch.series.some((e) => Array.isArray(e))).toBe(false); // all known
        // round 1 follows the order the series were created in; later rounds the learned one
        expect(index.lookups).toBe(1);
      }
      await store.appendBatch(fast.batch);
    }
  });

  it('falls back to the map when the order changes, and still finds every series', async () => {
    const r = rng(8);
    await store.appendBatch(decode(encode(corpus(r, 50, 0)), DEFAULT_LIMITS, store).batch);
    const shuffled = corpus(r, 50, 1).reverse();
    const index = new CountingIndex(store);
    const fast = decode(encode(shuffled), DEFAULT_LIMITS, index);
    expect(fast.batch.series.some((e) => Array.isArray(e))).toBe(false);
    expect(contents(fast.batch)).toEqual(contents(decode(encode(shuffled), DEFAULT_LIMITS).batch));
    expect(index.lookups).toBeGreaterThan(1);
  });

  it('takes the slow path for unsorted labels and empty values (which it drops), and finds the same series', async () => {
    const sorted: SenderSeries = {
      labels: [
        ['__name__', 'm'],
        ['a', '1'],
      ],
      timestamps: [T0],
      values: [1],
    };
    await store.appendBatch(decode(encode([sorted]), DEFAULT_LIMITS, store).batch);
    const odd: SenderSeries = {
      labels: [
        ['a', '1'],
        ['empty', ''],
        ['__name__', 'm'],
      ],
      timestamps: [T0 + 1],
      values: [2],
    };
    const d = decode(encode([odd]), DEFAULT_LIMITS, store);
    expect(Array.isArray(d.batch.series[0])).toBe(true);
    expect(d.batch.series[0]).toEqual([
      { name: '__name__', value: 'm' },
      { name: 'a', value: '1' },
    ]);
    await store.appendBatch(d.batch);
    expect(store.stats().series).toBe(1);
  });

  it('does not let a stored series pass label limits it would fail', async () => {
    await store.append([{ labels: [{ name: '__name__', value: 'v'.repeat(100) }], timestamps: [T0], values: [1] }]);
    const body = encode([{ labels: [['__name__', 'v'.repeat(100)]], timestamps: [T0 + 1], values: [1] }]);
    expect(Array.isArray(decode(body, DEFAULT_LIMITS, store).batch.series[0])).toBe(false);
    const strict = { ...DEFAULT_LIMITS, maxLabelValueLength: 50 };
    expect(errorOf(() => decode(body, strict, store))).toMatch(/400 series 0 .*longer than 50 bytes/);
  });

  it('checks samples of known series: order and timestamp range', async () => {
    const s = (ts: number[]): SenderSeries[] => [
      { labels: [['__name__', 'm']], timestamps: ts, values: ts.map(() => 1) },
    ];
    await store.appendBatch(decode(encode(s([T0])), DEFAULT_LIMITS, store).batch);
    expect(errorOf(() => decode(encode(s([T0 + 20, T0 + 10])), DEFAULT_LIMITS, store))).toMatch(
      /400 series 0 \{__name__="m"\}: samples are not in timestamp order/
    );
    expect(errorOf(() => decode(encode(s([2 ** 52])), DEFAULT_LIMITS, store))).toMatch(
      /series 0 sample 0: timestamp 4503599627370496 is out of range/
    );
    expect(errorOf(() => decode(encode(s([-(2 ** 52) + 1, 2 ** 52 - 1])), DEFAULT_LIMITS, store))).toBe('no error');
  });
});

describe('v1 wire format', () => {
  const label = (n: string, v: string) => ({ name: Buffer.from(n), value: Buffer.from(v) });
  const ts = (labels: Array<{ name: Buffer; value: Buffer }>) => ({
    labels,
    samples: [{ value: 1.5, timestamp: BigInt(T0) }],
    exemplars: [],
    histograms: [],
  });
  const body = (...series: ReturnType<typeof ts>[]) =>
    Buffer.from(WriteRequest.encode({ timeseries: series, metadata: [] }).finish());

  it('skips unknown fields of every wire type, groups included', () => {
    const good = body(ts([label('__name__', 'm')]));
    // a TimeSeries is field 1 of the request: rebuild it with unknown fields appended
    const inner = good.subarray(2);
    const extra = Buffer.concat([
      Buffer.from([0x78, 0x96, 0x01]), // field 15, varint 150
      Buffer.from([0x79, 1, 2, 3, 4, 5, 6, 7, 8]), // field 15, fixed64
      Buffer.from([0x7d, 1, 2, 3, 4]), // field 15, fixed32
      Buffer.from([0x7a, 2, 0xff, 0xff]), // field 15, 2 bytes (not UTF-8: never read)
      Buffer.from([0x7b, 0x08, 1, 0x7c]), // field 15 group holding field 1 = 1, end group 15
    ]);
    const ts2 = Buffer.concat([inner, extra]);
    const req = Buffer.concat([Buffer.from([0x0a, ts2.length]), ts2, Buffer.from([0x68, 0x01])]); // + field 13 varint
    const d = decodeV1(req, DEFAULT_LIMITS);
    expect(contents(d.batch)).toEqual(contents(decodeV1(good, DEFAULT_LIMITS).batch));
  });

  it('reads labels interleaved with samples (the slow path), like contiguous ones', async () => {
    const store = openScratchStorage();
    const contiguous = body(ts([label('__name__', 'm'), label('job', 'x')]));
    await store.appendBatch(decodeV1(contiguous, DEFAULT_LIMITS, store).batch);
    // TimeSeries: label, sample, label
    const l1 = Buffer.from([0x0a, 0x0d, 0x0a, 0x08, ...Buffer.from('__name__'), 0x12, 0x01, 0x6d]);
    const l2 = Buffer.from([0x0a, 0x08, 0x0a, 0x03, ...Buffer.from('job'), 0x12, 0x01, 0x78]);
    const sample = Buffer.from([0x12, 0x0b, 0x10, 0x01, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    const ts2 = Buffer.concat([l1, sample, l2]);
    const d = decodeV1(Buffer.concat([Buffer.from([0x0a, ts2.length]), ts2]), DEFAULT_LIMITS, store);
    expect(Array.isArray(d.batch.series[0])).toBe(true);
    expect(contents(d.batch)).toEqual([
      {
        labels: [
          ['__name__', 'm'],
          ['job', 'x'],
        ],
        timestamps: [1],
        values: [bits(1)],
      },
    ]);
  });

  it.each([
    ['field number 0', Buffer.from([0x00])],
    ['wire type 7', Buffer.from([0x0f])],
    ['a truncated varint', Buffer.from([0x08, 0x80])],
    ['a length past the end', Buffer.from([0x0a, 0x05, 0x00])],
    ['a stray end group', Buffer.from([0x0c])],
    ['a mismatched end group', Buffer.from([0x0b, 0x14])],
    ['an unterminated group', Buffer.from([0x0b, 0x08, 0x01])],
    ['a varint longer than 10 bytes', Buffer.from([0x08, ...new Array(10).fill(0xff), 0x01])],
  ])('refuses %s', (_, bytes) => {
    expect(errorOf(() => decodeV1(bytes, DEFAULT_LIMITS))).toMatch(/^400 invalid prometheus.WriteRequest protobuf: /);
  });

  it('reports a structural error after an invalid series rather than the invalid series', () => {
    const bad = body(ts([label('', 'x')])); // empty label name: a semantic error
    const truncated = Buffer.concat([bad, Buffer.from([0x0a, 0x03, 0x0a])]);
    expect(errorOf(() => decodeV1(truncated, DEFAULT_LIMITS))).toMatch(/invalid prometheus.WriteRequest protobuf/);
    expect(errorOf(() => decodeV1(bad, DEFAULT_LIMITS))).toMatch(/has a label with an empty name/);
  });

  it('converts negative and extreme int64 timestamps exactly', () => {
    for (const t of [-1n, -(2n ** 52n) + 1n, 2n ** 52n - 1n]) {
      const req = WriteRequest.encode({
        timeseries: [
          { labels: [label('__name__', 'm')], samples: [{ value: 1, timestamp: t }], exemplars: [], histograms: [] },
        ],
        metadata: [],
      }).finish();
      expect(decodeV1(req, DEFAULT_LIMITS).batch.timestamps[0]).toBe(Number(t));
    }
    const req = WriteRequest.encode({
      timeseries: [
        {
          labels: [label('__name__', 'm')],
          samples: [{ value: 1, timestamp: -(2n ** 63n) }],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [],
    }).finish();
    expect(errorOf(() => decodeV1(req, DEFAULT_LIMITS))).toMatch(/timestamp -9223372036854775808 is out of range/);
  });
});

describe('v2 wire format', () => {
  it('resolves symbols that follow the series using them, and unpacked labels_refs', () => {
    // Request: timeseries (5) first: labels_refs unpacked (tag 0x08) 1, 2; one sample; then symbols (4)
    const sample = [0x12, 0x0b, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x07];
    const series = [0x08, 0x01, 0x08, 0x02, ...sample];
    const req = Buffer.concat([
      Buffer.from([0x2a, series.length, ...series]),
      Buffer.from([0x22, 0x00]), // symbols[0] = ""
      Buffer.from([0x22, 0x08, ...Buffer.from('__name__')]),
      Buffer.from([0x22, 0x02, ...Buffer.from('up')]),
    ]);
    expect(contents(decodeV2(req, DEFAULT_LIMITS).batch)).toEqual([
      { labels: [['__name__', 'up']], timestamps: [7], values: [bits(1)] },
    ]);
  });
});

describe('a label problem half-way through a series', () => {
  it('is reported as itself, whatever follows it in the series', () => {
    const label = (n: string, v: Buffer) => ({ name: Buffer.from(n), value: v });
    const req = WriteRequest.encode({
      timeseries: [
        {
          labels: [label('a', Buffer.from([0xc3, 0x28])), label('b', Buffer.from('x')), label('c', Buffer.from('y'))],
          samples: [{ value: 1, timestamp: 1n }],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [],
    }).finish();
    expect(errorOf(() => decodeV1(req, DEFAULT_LIMITS))).toBe('400 series 0: value of label 0 is not valid UTF-8');
  });
});

describe('differential fuzzing: the fast path decides exactly like the slow path', () => {
  function mutate(r: () => number, input: Uint8Array): Uint8Array {
    const b = Buffer.from(input);
    const kind = Math.floor(r() * 4);
    if (kind === 0) return b.subarray(0, Math.floor(r() * b.length));
    if (kind === 1) {
      for (let i = 0; i < 1 + Math.floor(r() * 3); i++) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      return b;
    }
    if (kind === 2) {
      b[Math.floor(r() * b.length)] = [0, 0xff, 0x80, 0x7f, 0x0a, 0x12][Math.floor(r() * 6)];
      return b;
    }
    const at = Math.floor(r() * b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + Math.floor(r() * 12)), b.subarray(at)]);
  }

  it.each(decoders)(
    'v%d: 3,000 mutated requests against a store that knows the originals',
    async (_v, decode, encode) => {
      const r = rng(20261123);
      const store = openScratchStorage();
      const base = corpus(r, 20, 0);
      await store.appendBatch(decode(encode(base), DEFAULT_LIMITS, store).batch);
      const outcome = (index?: SeriesIndex) => (body: Uint8Array) => {
        try {
          return JSON.stringify(contents(decode(body, DEFAULT_LIMITS, index).batch));
        } catch (err) {
          if (err instanceof IngestError) return `${err.status} ${err.message}`;
          throw err;
        }
      };
      const slow = outcome();
      const fast = outcome(store);
      let fastHits = 0;
      for (let i = 0; i < 3000; i++) {
        const sent = corpus(rng(i), 1 + Math.floor(r() * 6), 1).map((s, k) => ({ ...s, labels: base[k].labels }));
        const body = r() < 0.2 ? encode(sent) : mutate(r, encode(sent));
        const a = slow(body);
        expect(fast(body)).toBe(a);
        if (!a.startsWith('400')) fastHits++;
      }
      expect(fastHits).toBeGreaterThan(500);
    }
  );
});
