/**
 * Remote write in, PromQL out: a real store in a temp dir, the real receiver, the real PromQLEngine
 * and the query API, all on 127.0.0.1:0, composed the way `sluice serve-prometheus-api` composes
 * them (a ResettableStore in front of the store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ResettableStore, startQueryApi, type QueryApiServer } from '../../src/api';
import { PromQLEngine } from '../../src/engine';
import { encodeV1, sendRemoteWrite, startIngestServer, type IngestServer } from '../../src/ingest';
import { STALE_NAN } from '../../src/storage';

let dir: string;
let store: ResettableStore;
let ingest: IngestServer;
let api: QueryApiServer;

const T0 = 1_700_000_000_000; // ms, whole minutes apart below

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-api-'));
  store = await ResettableStore.open({
    dataDir: join(dir, 'data'),
    fsync: 'never',
    retentionMs: Infinity,
    outOfOrderWindowMs: Infinity,
    maxFutureMs: Infinity,
  });
  ingest = await startIngestServer({ storage: store, listen: '127.0.0.1:0' });
  api = await startQueryApi({
    engine: new PromQLEngine(store),
    listen: '127.0.0.1:0',
    storage: () => store,
    reset: () => store.reset(),
  });
  const minutes = [0, 1, 2, 3, 4].map((i) => T0 + i * 60_000);
  const res = await sendRemoteWrite(
    `http://${ingest.address}/api/v1/write`,
    encodeV1([
      {
        labels: [
          ['__name__', 'up'],
          ['job', 'api'],
        ],
        timestamps: minutes,
        values: new Float64Array([1, 1, 0, 1, 1]),
      },
      {
        labels: [
          ['__name__', 'up'],
          ['job', 'web'],
        ],
        timestamps: minutes,
        values: withStaleLast([1, 1, 1, 1, 0]),
      },
      {
        labels: [
          ['__name__', 'x'],
          ['i', 'a'],
        ],
        timestamps: minutes,
        values: new Float64Array([1, 2, 3, 4, 5]),
      },
      {
        labels: [
          ['__name__', 'x'],
          ['i', 'b'],
        ],
        timestamps: minutes,
        values: new Float64Array([10, 20, 30, 40, 50]),
      },
    ])
  );
  expect(res.status).toBe(204);
});

afterEach(async () => {
  await api.close();
  await ingest.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://${api.address}${path}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const seconds = (ms: number) => ms / 1000;

/** The values with a stale marker last, set in the typed array itself: V8 canonicalises NaNs in plain arrays. */
function withStaleLast(values: number[]): Float64Array {
  const out = new Float64Array(values);
  out[out.length - 1] = STALE_NAN;
  return out;
}

it('instant query `up`: the stale series is gone at the last minute', async () => {
  const at = T0 + 4 * 60_000;
  const r = await get(`/api/v1/query?query=up&time=${seconds(at)}`);
  expect(r.status).toBe(200);
  expect(r.json).toEqual({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'api' }, value: [seconds(at), '1'] }] },
  });
});

it('range query `sum(x)` over remote-written data', async () => {
  const r = await get(`/api/v1/query_range?query=sum(x)&start=${seconds(T0)}&end=${seconds(T0 + 240_000)}&step=1m`);
  expect(r.status).toBe(200);
  expect(r.json).toEqual({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [11, 22, 33, 44, 55].map((v, i) => [seconds(T0 + i * 60_000), String(v)]),
        },
      ],
    },
  });
});

it('a parse error answers 400 bad_data from the engine', async () => {
  const r = await get('/api/v1/query?query=sum(');
  expect(r.status).toBe(400);
  expect(r.json.errorType).toBe('bad_data');
  expect(String(r.json.error)).toMatch(/^invalid parameter "query": /);
});

it('metadata from the store, and a reset empties it', async () => {
  expect((await get('/api/v1/label/job/values')).json).toEqual({ status: 'success', data: ['api', 'web'] });
  const reset = await fetch(`http://${api.address}/-/reset`, { method: 'POST' });
  expect(reset.status).toBe(200);
  expect((await get('/api/v1/labels')).json).toEqual({ status: 'success', data: [] });
  const r = await get(`/api/v1/query?query=up&time=${seconds(T0)}`);
  expect(r.json).toEqual({ status: 'success', data: { resultType: 'vector', result: [] } });
});
