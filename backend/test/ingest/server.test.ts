/** The receiver over real HTTP on 127.0.0.1:0, with a fake store recording what reaches it. */
import { request } from 'node:http';

import { Request as RequestV2, TimeSeries as TimeSeriesV2 } from '../../src/generated/prometheus/write/v2/types';
import { WriteRequest } from '../../src/generated/prometheus/types';
import { encodeV1, encodeV2, sendRemoteWrite, type SenderSeries } from '../../src/ingest/sender';
import { snappyCompress } from '../../src/ingest/snappy';
import type { IngestServer } from '../../src/ingest/server';
import { bits, FakeStorage, STALE_NAN_HEX, startTestServer, valuesFromBits } from './helpers';

const VALUE_BITS = [
  bits(1),
  STALE_NAN_HEX,
  '7ff8000000000000', // the ordinary NaN
  '7ff8000000000001', // a quiet NaN with a payload, not a stale marker
  bits(Infinity),
  bits(-Infinity),
  '0000000000000001', // smallest subnormal
  // (-0 is not here: proto3 encoders, Go's included, omit a value equal to 0, so -0 arrives as 0.)
];

const series: SenderSeries[] = [
  {
    labels: [
      ['__name__', 'up'],
      ['instance', 'a:9090'],
      ['job', 'prom'],
    ],
    timestamps: VALUE_BITS.map((_, i) => 1_700_000_000_000 + 15_000 * i),
    values: valuesFromBits(VALUE_BITS),
  },
  {
    labels: [
      ['__name__', 'temp_℃'],
      ['city', 'Zürich 🌡'],
    ],
    timestamps: [-1], // before 1970 is fine
    values: [21.5],
  },
];

let server: IngestServer;
let storage: FakeStorage;
let url: string;
let warnings: string[];

beforeEach(async () => {
  ({ server, storage, url, warnings } = await startTestServer());
});
afterEach(async () => {
  await server.close();
});

function expectStored(expected: SenderSeries[]) {
  expect(storage.batches).toHaveLength(1);
  const got = storage.batches[0].map((s) => ({
    labels: s.labels.map((l) => [l.name, l.value]),
    timestamps: Array.from(s.timestamps),
    values: Array.from(s.values as Float64Array, bits),
  }));
  expect(got).toEqual(
    expected.map((s) => ({
      labels: s.labels,
      timestamps: Array.from(s.timestamps),
      values: Array.from(s.values as Float64Array, bits),
    }))
  );
}

describe.each([1, 2] as const)('remote write v%d round trip', (version) => {
  it('reaches the store with exact labels, timestamps and value bits (stale marker, NaN payloads, ±Inf, subnormals)', async () => {
    const payload = version === 1 ? encodeV1(series) : encodeV2(series);
    const res = await sendRemoteWrite(url, payload, { version });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expectStored(series);
    expect(bits(storage.batches[0][0].values[1])).toBe(STALE_NAN_HEX);
    expect(server.metrics.samplesWritten).toBe(8);
    expect(server.metrics.requestsByStatus[204]).toBe(1);
    expect(server.metrics.bytesReceived).toBeGreaterThan(0);
  });

  it(version === 2 ? 'sets the three *-Written headers' : 'sets no *-Written headers (v1)', async () => {
    const res = await sendRemoteWrite(url, version === 1 ? encodeV1(series) : encodeV2(series), { version });
    expect(res.status).toBe(204);
    if (version === 2) {
      expect(res.headers['x-prometheus-remote-write-samples-written']).toBe('8');
      expect(res.headers['x-prometheus-remote-write-histograms-written']).toBe('0');
      expect(res.headers['x-prometheus-remote-write-exemplars-written']).toBe('0');
    } else {
      expect(res.headers['x-prometheus-remote-write-samples-written']).toBeUndefined();
    }
  });

  it('sorts unsorted labels and drops empty-valued ones', async () => {
    const unsorted: SenderSeries[] = [
      {
        labels: [
          ['job', 'x'],
          ['empty', ''],
          ['__name__', 'm'],
        ],
        timestamps: [1000],
        values: [1],
      },
    ];
    const res = await sendRemoteWrite(url, version === 1 ? encodeV1(unsorted) : encodeV2(unsorted), { version });
    expect(res.status).toBe(204);
    expect(storage.batches[0][0].labels).toEqual([
      { name: '__name__', value: 'm' },
      { name: 'job', value: 'x' },
    ]);
  });

  it('passes far-past/future timestamps to the store and reports its rejections with 400', async () => {
    storage.outcome = () => ({ samplesWritten: 1, rejectedOutOfOrder: 1, rejectedTooOld: 1, rejectedTooNew: 1 });
    const s: SenderSeries[] = [
      {
        labels: [['__name__', 'm']],
        timestamps: [0, 5, 5, 4_000_000_000_000_000],
        values: [1, 1, 2, 1],
      },
    ];
    const res = await sendRemoteWrite(url, version === 1 ? encodeV1(s) : encodeV2(s), { version });
    expect(storage.batches[0][0].timestamps).toEqual(Float64Array.from([0, 5, 5, 4_000_000_000_000_000]));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(
      /3 of 4 samples rejected by the store: 1 out of order, 1 too old, 1 too far in the future/
    );
    if (version === 2) expect(res.headers['x-prometheus-remote-write-samples-written']).toBe('1');
    expect(server.metrics.samplesRejected).toEqual({ outOfOrder: 1, tooOld: 1, tooNew: 1 });
    expect(warnings.join('\n')).toMatch(/samples rejected/);
  });

  it('answers 500 when the store fails (the sender retries)', async () => {
    storage.fail = true;
    const res = await sendRemoteWrite(url, version === 1 ? encodeV1(series) : encodeV2(series), { version });
    expect(res.status).toBe(500);
  });
});

describe('content type and encoding', () => {
  it('treats a missing Content-Type and plain application/x-protobuf as v1', async () => {
    for (const ct of [undefined, 'application/x-protobuf']) {
      const res = await sendRemoteWrite(url, encodeV1(series), { headers: { 'Content-Type': ct } });
      expect(res.status).toBe(204);
    }
    expect(storage.batches).toHaveLength(2);
  });

  it('chooses the schema from Content-Type: a v2 body sent as v1 stores nothing', async () => {
    // The spec's reserved fields make a v2 body decode as an empty v1 request.
    const res = await sendRemoteWrite(url, encodeV2(series), { version: 1 });
    expect(res.status).toBe(204);
    expect(storage.batches).toHaveLength(0);
  });

  it.each([
    [{ 'Content-Encoding': 'zstd' }, /Content-Encoding "zstd"/],
    [{ 'Content-Encoding': 'gzip' }, /Content-Encoding "gzip"/],
    [{ 'Content-Type': 'application/json' }, /Content-Type "application\/json"/],
    [{ 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v9.Request' }, /v9/],
  ])('415 for %j', async (headers, message) => {
    const res = await sendRemoteWrite(url, encodeV1(series), { headers });
    expect(res.status).toBe(415);
    expect(res.body).toMatch(message);
    expect(storage.batches).toHaveLength(0);
  });
});

describe('HTTP surface', () => {
  function raw(method: string, path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`http://${server.address}${path}`, { method }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('405 for GET/PUT on the write path, 404 elsewhere', async () => {
    expect(await raw('GET', '/api/v1/write')).toBe(405);
    expect(await raw('PUT', '/api/v1/write')).toBe(405);
    expect(await raw('POST', '/api/v1/read')).toBe(404);
    expect(await raw('GET', '/')).toBe(404);
    expect(await raw('POST', '/api/v1/write/')).toBe(404);
  });

  it('with fetch too: 405 carries Allow: POST', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('body limits', () => {
  it('413 above maxBodyBytes (compressed), even with chunked transfer; store untouched', async () => {
    await server.close();
    ({ server, storage, url } = await startTestServer({ maxBodyBytes: 1024 }));
    const big = Buffer.alloc(4096, 1);
    const res = await sendRemoteWrite(url, big, { compressed: true });
    expect(res.status).toBe(413);
    // Chunked (no Content-Length): the limit applies while reading.
    const chunked = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array(800));
          c.enqueue(new Uint8Array(800));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(storage.batches).toHaveLength(0);
    expect(server.metrics.requestsByStatus[413]).toBe(2);
    // And still serves a valid request.
    expect((await sendRemoteWrite(url, encodeV1(series))).status).toBe(204);
  });

  it('400 when the decoded size exceeds maxDecodedBytes', async () => {
    await server.close();
    ({ server, storage, url } = await startTestServer({ maxDecodedBytes: 100 }));
    const res = await sendRemoteWrite(url, encodeV1(series));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/decoded size \d+ exceeds the limit of 100 bytes/);
    expect(storage.batches).toHaveLength(0);
  });
});

describe('bearer token', () => {
  beforeEach(async () => {
    await server.close();
    ({ server, storage, url } = await startTestServer({ bearerToken: 's3cret' }));
  });

  it('401 with a missing or wrong token, 204 with the right one', async () => {
    expect((await sendRemoteWrite(url, encodeV1(series))).status).toBe(401);
    expect((await sendRemoteWrite(url, encodeV1(series), { bearerToken: 's3cre' })).status).toBe(401);
    expect(
      (await sendRemoteWrite(url, encodeV1(series), { headers: { Authorization: 'Basic czNjcmV0' } })).status
    ).toBe(401);
    expect(storage.batches).toHaveLength(0);
    expect((await sendRemoteWrite(url, encodeV1(series), { bearerToken: 's3cret' })).status).toBe(204);
  });
});

describe('invalid requests: 400 naming the problem, nothing stored', () => {
  const m = (labels: Array<[string, string]>, samples: Array<[number, number]> = [[1, 1]]): SenderSeries => ({
    labels,
    timestamps: samples.map((x) => x[0]),
    values: samples.map((x) => x[1]),
  });
  const good = m([['__name__', 'ok']]);

  async function expect400(body: Uint8Array, version: 1 | 2, message: RegExp, compressed = false) {
    const res = await sendRemoteWrite(url, body, { version, compressed });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: expect.stringMatching(message) });
    expect(storage.batches).toHaveLength(0);
    expect(server.metrics.requestsByStatus[400]).toBeGreaterThan(0);
  }

  it('corrupt snappy', async () => {
    const c = Buffer.from(snappyCompress(encodeV1(series)));
    await expect400(c.subarray(0, c.length - 3), 1, /snappy: corrupt input/, true);
    await expect400(Buffer.from('not snappy at all, really'), 1, /snappy/, true);
  });

  it.each([1, 2] as const)('truncated / garbled protobuf (v%d)', async (version) => {
    const p = version === 1 ? encodeV1(series) : encodeV2(series);
    await expect400(p.subarray(0, p.length - 5), version, /invalid .*protobuf/);
    const garbled = Buffer.from(p);
    garbled[0] = 0xff; // field 31, wire type 7: invalid
    await expect400(garbled, version, /invalid .*protobuf/);
  });

  it.each([1, 2] as const)('label problems (v%d), naming the series', async (version) => {
    const enc = version === 1 ? encodeV1 : encodeV2;
    await expect400(enc([good, m([['', 'x']])]), version, /series 1 .* has a label with an empty name/);
    await expect400(
      enc([
        good,
        m([
          ['a', '1'],
          ['b', '2'],
          ['a', '3'],
        ]),
      ]),
      version,
      /series 1 \{a="1", b="2", a="3"\} has duplicate label name "a"/
    );
    await expect400(enc([m([])]), version, /series 0 has no labels/);
  });

  it.each([1, 2] as const)('samples not in timestamp order (v%d)', async (version) => {
    const enc = version === 1 ? encodeV1 : encodeV2;
    await expect400(
      enc([
        good,
        m(
          [['__name__', 'late']],
          [
            [10, 1],
            [20, 1],
            [15, 1],
          ]
        ),
      ]),
      version,
      /series 1 \{__name__="late"\}: samples are not in timestamp order \(20 then 15\)/
    );
  });

  it('invalid UTF-8 in a v1 label value', async () => {
    const body = WriteRequest.encode({
      timeseries: [
        {
          labels: [
            { name: Buffer.from('__name__'), value: Buffer.from('x') },
            { name: Buffer.from('bad'), value: Buffer.from([0x61, 0xc3, 0x28]) },
          ],
          samples: [{ value: 1, timestamp: 1n }],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [],
    }).finish();
    await expect400(body, 1, /series 0: value of label 1 is not valid UTF-8/);
  });

  const v2 = (symbols: Array<string | Buffer>, ts: Array<Partial<TimeSeriesV2>>) =>
    RequestV2.encode({
      symbols: symbols.map((s) => (typeof s === 'string' ? Buffer.from(s) : s)),
      timeseries: ts.map((t) => ({
        ...TimeSeriesV2.fromPartial({}),
        samples: [{ value: 1, timestamp: 1n, startTimestamp: 0n }],
        ...t,
      })),
    }).finish();

  it('v2: invalid UTF-8 symbol, symbols[0] not "", reference out of range, odd labels_refs', async () => {
    await expect400(
      v2(['', '__name__', Buffer.from([0xff])], [{ labelsRefs: [1, 2] }]),
      2,
      /symbol 2 is not valid UTF-8/
    );
    await expect400(
      v2(['x', '__name__', 'up'], [{ labelsRefs: [1, 2] }]),
      2,
      /symbols\[0\] must be the empty string, got "x"/
    );
    await expect400(
      v2(['', '__name__', 'up'], [{ labelsRefs: [1, 2] }, { labelsRefs: [1, 7] }]),
      2,
      /series 1 label 0 value: symbol reference 7 is out of range \(3 symbols\)/
    );
    await expect400(v2(['', '__name__', 'up'], [{ labelsRefs: [1, 2, 1] }]), 2, /labels_refs has an odd length 3/);
  });

  /** A native histogram as both protocol versions carry it (v2 adds a start timestamp). */
  const NATIVE_HISTOGRAM = {
    count: { $case: 'countInt' as const, value: 3n },
    sum: 1,
    schema: 0,
    zeroThreshold: 0,
    zeroCount: undefined,
    negativeSpans: [],
    negativeDeltas: [],
    negativeCounts: [],
    positiveSpans: [],
    positiveDeltas: [],
    positiveCounts: [],
    resetHint: 0,
    timestamp: 1n,
    customValues: [],
  };

  it.each([1, 2] as const)('native histograms (v%d) are rejected, not dropped', async (version) => {
    const body =
      version === 1
        ? WriteRequest.encode({
            timeseries: [
              {
                labels: [{ name: Buffer.from('__name__'), value: Buffer.from('h') }],
                samples: [],
                exemplars: [],
                histograms: [NATIVE_HISTOGRAM],
              },
            ],
            metadata: [],
          }).finish()
        : v2(
            ['', '__name__', 'h'],
            [
              {
                labelsRefs: [1, 2],
                samples: [],
                histograms: [{ ...NATIVE_HISTOGRAM, startTimestamp: 0n }],
              },
            ]
          );
    await expect400(body, version, /series 0: native histograms are not supported yet/);
  });

  it('label limits name the series', async () => {
    await server.close();
    ({ server, storage, url } = await startTestServer({
      maxLabelNameLength: 7,
      maxLabelValueLength: 4,
      maxLabelsPerSeries: 3,
    }));
    await expect400(
      encodeV1([m([['__name__', 'x']])]),
      1,
      /series 0 \{__name__="x"\}: label name "__name__" is longer than 7 bytes/
    );
    await expect400(
      encodeV1([m([['a', 'ééé']])]),
      1,
      /series 0 \{a="ééé"\}: value of label "a" is longer than 4 bytes/
    );
    await expect400(
      encodeV2([
        m([
          ['a', '1'],
          ['b', '1'],
          ['c', '1'],
          ['d', '1'],
        ]),
      ]),
      2,
      /series 0 .* has 4 labels, more than the limit of 3/
    );
  });

  it("timestamps at or beyond ±2^52 ms (the store's bound)", async () => {
    const body = WriteRequest.encode({
      timeseries: [
        {
          labels: [{ name: Buffer.from('__name__'), value: Buffer.from('x') }],
          samples: [
            { value: 1, timestamp: -(2n ** 52n) + 1n },
            { value: 1, timestamp: 2n ** 52n },
          ],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [],
    }).finish();
    await expect400(body, 1, /series 0 sample 1: timestamp 4503599627370496 is out of range/);
  });

  it('a bad series anywhere rejects the whole request (all-or-nothing)', async () => {
    const many = Array.from({ length: 50 }, (_, i) => m([['__name__', `s${i}`]]));
    many.push(m([['', 'bad']]));
    await expect400(encodeV2(many), 2, /series 50/);
  });
});

describe('exemplars and metadata', () => {
  it('are accepted, ignored and counted', async () => {
    const body = WriteRequest.encode({
      timeseries: [
        {
          labels: [{ name: Buffer.from('__name__'), value: Buffer.from('x') }],
          samples: [{ value: 1, timestamp: 1n }],
          exemplars: [
            { labels: [{ name: Buffer.from('trace_id'), value: Buffer.from('abc') }], value: 1, timestamp: 1n },
          ],
          histograms: [],
        },
      ],
      metadata: [{ type: 1, metricFamilyName: 'x', help: 'h', unit: '' }],
    }).finish();
    const res = await sendRemoteWrite(url, body);
    expect(res.status).toBe(204);
    expect(server.metrics.exemplarsIgnored).toBe(1);
    expect(server.metrics.metadataIgnored).toBe(1);
    expect(storage.samples).toBe(1);
  });
});
