/** The receiver in front of the real store (backend/src/storage): what is written can be read back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isStaleMarker, openStorage, parseMatcher, type Storage } from '../../src/storage';
import { startIngestServer, type IngestServer } from '../../src/ingest/server';
import { encodeV1, encodeV2, sendRemoteWrite } from '../../src/ingest/sender';
import { bits, STALE_NAN_HEX, valuesFromBits } from './helpers';

let dir: string;
let store: Storage;
let server: IngestServer;
let url: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-'));
  store = await openStorage({ dataDir: dir, fsync: 'never' });
  server = await startIngestServer({ storage: store, listen: '127.0.0.1:0' });
  url = `http://${server.address}/api/v1/write`;
});
afterEach(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it.each([1, 2] as const)('v%d: samples (stale marker included) can be selected back bit-exact', async (version) => {
  const now = Date.now();
  const enc = version === 1 ? encodeV1 : encodeV2;
  const res = await sendRemoteWrite(
    url,
    enc([
      {
        labels: [
          ['job', 'api'], // unsorted on purpose: the receiver sorts
          ['__name__', 'http_requests_total'],
        ],
        timestamps: [now - 2000, now - 1000, now],
        values: valuesFromBits([bits(1), bits(2), STALE_NAN_HEX]),
      },
    ]),
    { version }
  );
  expect(res.status).toBe(204);
  const got = [...store.select([parseMatcher('=', '__name__', 'http_requests_total')], now - 10_000, now)];
  expect(got).toHaveLength(1);
  expect(got[0].labels).toEqual([
    { name: '__name__', value: 'http_requests_total' },
    { name: 'job', value: 'api' },
  ]);
  expect(Array.from(got[0].timestamps)).toEqual([now - 2000, now - 1000, now]);
  expect(Array.from(got[0].values.subarray(0, 2))).toEqual([1, 2]);
  expect(isStaleMarker(got[0].values[2])).toBe(true);
});

it('a sample too far in the future is refused by the store: 400 with counts, v2 headers say what was written', async () => {
  const now = Date.now();
  const res = await sendRemoteWrite(
    url,
    encodeV2([{ labels: [['__name__', 'm']], timestamps: [now, now + 24 * 3600 * 1000], values: [1, 2] }]),
    { version: 2 }
  );
  expect(res.status).toBe(400);
  expect(res.body).toMatch(/1 of 2 samples rejected by the store: 0 out of order, 0 too old, 1 too far in the future/);
  expect(res.headers['x-prometheus-remote-write-samples-written']).toBe('1');
  expect(server.metrics.samplesRejected.tooNew).toBe(1);
  expect(server.metrics.samplesWritten).toBe(1);
});

it.each([1, 2] as const)(
  'v%d: rounds of known series (the fast path) store every sample, in any order',
  async (version) => {
    const now = Date.now();
    const enc = version === 1 ? encodeV1 : encodeV2;
    const names = Array.from({ length: 200 }, (_, i) => `m_${i}`);
    for (let round = 0; round < 5; round++) {
      // the same order twice, then reversed: predictions hit, then miss and recover
      const order = round < 3 ? names : [...names].reverse();
      const res = await sendRemoteWrite(
        url,
        enc(
          order.map((n) => ({
            labels: [
              ['__name__', n],
              ['job', 'j'],
            ],
            timestamps: [now - 5000 + round],
            values: [round],
          }))
        ),
        { version }
      );
      expect(res.status).toBe(204);
    }
    const got = [...store.select([parseMatcher('=', 'job', 'j')], now - 10_000, now)];
    expect(got).toHaveLength(200);
    for (const s of got) {
      expect(Array.from(s.timestamps)).toEqual([0, 1, 2, 3, 4].map((r) => now - 5000 + r));
      expect(Array.from(s.values)).toEqual([0, 1, 2, 3, 4]);
    }
    expect(server.metrics.samplesWritten).toBe(1000);
  }
);
