/**
 * The embedded store through the real backend process: remote write in (the in-repo v1/v2 sender),
 * `samples` queries and Prometheus-shaped metadata resources out, and everything still there after a
 * restart on the same data directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pb from '../../src/generated/pluginv2/backend';
import { encodeV1, encodeV2, sendRemoteWrite } from '../../src/ingest';
import { STALE_NAN } from '../../src/storage';
import { decodeChunks, rowsOf } from '../helpers/frames';
import { dataQuery, Format, FROM_MS, PluginClients, queryRequest } from '../helpers/grpc';
import { counter } from '../helpers/metrics';
import { startPlugin } from '../helpers/plugin';
import { killAll } from '../helpers/process';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-store-'));
let clients: PluginClients;
let ingestUrl: string;

async function start(env: Record<string, string>): Promise<PluginClients> {
  const { handshake } = await startPlugin(env);
  return new PluginClients(handshake.target);
}

async function settings(c: PluginClients): Promise<{ store: Record<string, unknown> }> {
  const result = await c.callResource({ path: 'settings', method: 'GET' });
  return JSON.parse(Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8'));
}

async function samples(c: PluginClients, selector: string, format: Format) {
  const result = await c.queryChunked(queryRequest([dataQuery('A', { selector }, 'samples')], format));
  expect(result.error).toBeUndefined();
  return decodeChunks(result.messages.map((m) => m.message));
}

async function resource(c: PluginClients, path: string, url = `/${path}`) {
  const result = await c.callResource({ path, method: 'GET', url });
  return {
    code: result.messages[0].message.code,
    body: JSON.parse(Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8')),
  };
}

const t = (i: number) => FROM_MS + i * 15_000;

beforeAll(async () => {
  clients = await start({
    GF_PLUGIN_DATA_DIR: dataDir,
    GF_PLUGIN_INGEST_ADDRESS: '127.0.0.1:0',
    GF_PLUGIN_DEMO_DATA: 'false',
  });
  const store = (await settings(clients)).store;
  expect(store).toMatchObject({ available: true, series: 0 });
  ingestUrl = `http://${store.ingestAddress}/api/v1/write`;
});

afterAll(async () => {
  clients?.close();
  await killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

test('remote write v1 and v2 land in the store and come back as a long table, in both formats', async () => {
  const v1 = await sendRemoteWrite(
    ingestUrl,
    encodeV1([
      {
        labels: [
          ['__name__', 'http_requests_total'],
          ['code', '200'],
          ['job', 'api'],
        ],
        timestamps: [t(0), t(1), t(2)],
        values: Float64Array.of(1, 2, 3),
      },
      {
        labels: [
          ['__name__', 'http_requests_total'],
          ['code', '500'],
          ['job', 'api'],
        ],
        timestamps: [t(0), t(1), t(2)],
        values: Float64Array.of(0, 1, STALE_NAN),
      },
    ])
  );
  expect(v1.status).toBe(204);
  const v2 = await sendRemoteWrite(
    ingestUrl,
    encodeV2([
      {
        labels: [
          ['__name__', 'node_load1'],
          ['instance', 'host-1'],
        ],
        timestamps: [t(0), t(1)],
        values: Float64Array.of(0.5, 0.75),
      },
    ]),
    { version: 2 }
  );
  expect(v2.status).toBe(204);
  expect(v2.headers['x-prometheus-remote-write-samples-written']).toBe('2');

  for (const format of ['json', 'arrow'] as const) {
    const chunks = await samples(clients, 'http_requests_total{job="api"}', format);
    expect(chunks.every((c) => c.status === 200 && c.frameId === 'samples')).toBe(true);
    const frame = chunks[0].frame!;
    expect(frame.schema.fields.map((f) => f.name)).toEqual(['time', 'value', '__name__', 'code', 'job']);
    // The stale marker ends series code=500 inside the store; it is not a sample to show.
    expect(rowsOf(chunks.map((c) => c.frame!))).toEqual([
      [t(0), 1, 'http_requests_total', '200', 'api'],
      [t(1), 2, 'http_requests_total', '200', 'api'],
      [t(2), 3, 'http_requests_total', '200', 'api'],
      [t(0), 0, 'http_requests_total', '500', 'api'],
      [t(1), 1, 'http_requests_total', '500', 'api'],
    ]);
  }
  const regex = rowsOf(
    (await samples(clients, '{__name__=~"node_.+", instance!="host-2"}', 'json')).map((c) => c.frame!)
  );
  expect(regex).toEqual([
    [t(0), 0.5, 'node_load1', 'host-1'],
    [t(1), 0.75, 'node_load1', 'host-1'],
  ]);
});

test('CollectMetrics counts what was written and what the store holds', async () => {
  const text = await clients.collectMetrics();
  expect(counter(text, 'sluice_ingest_samples_written_total')).toBe(8);
  expect(counter(text, 'sluice_ingest_requests_total', { status: '204' })).toBe(2);
  expect(counter(text, 'sluice_store_series')).toBe(3);
});

test('metadata resources answer in the shapes of the Prometheus HTTP API', async () => {
  expect(await resource(clients, 'labels')).toEqual({
    code: 200,
    body: { status: 'success', data: ['__name__', 'code', 'instance', 'job'] },
  });
  expect((await resource(clients, 'label/job/values')).body.data).toEqual(['api']);
  const matched = await resource(clients, 'label/__name__/values', '/label/__name__/values?match[]=node_load1');
  expect(matched.body.data).toEqual(['node_load1']);
  const series = await resource(clients, 'series', `/series?match[]=${encodeURIComponent('{code="500"}')}`);
  expect(series.body.data).toEqual([{ __name__: 'http_requests_total', code: '500', job: 'api' }]);
  const bad = await resource(clients, 'series', '/series?match[]=%7B');
  expect(bad.code).toBe(400);
  expect(bad.body.error).toMatch(/invalid match\[\]/);
});

test('bad selectors answer that query with 400; the others still answer', async () => {
  const result = await clients.queryChunked(
    queryRequest(
      [
        dataQuery('A', { selector: 'up{' }, 'samples'),
        dataQuery('B', { selector: '{job=~".*"}' }, 'samples'),
        dataQuery('C', { selector: 'x{a=~"(?<=b)c"}' }, 'samples'),
        dataQuery('D', { selector: 'node_load1' }, 'samples'),
      ],
      'json'
    )
  );
  const byRef = new Map<string, pb.QueryChunkedDataResponse[]>();
  for (const { message } of result.messages) {
    byRef.set(message.refId, [...(byRef.get(message.refId) ?? []), message]);
  }
  expect(byRef.get('A')![0]).toMatchObject({
    status: 400,
    error: expect.stringMatching(/invalid selector "up\{": parse error/),
  });
  expect(byRef.get('B')![0].error).toMatch(/at least one non-empty matcher/);
  expect(byRef.get('C')![0].error).toMatch(/invalid selector/);
  expect(rowsOf(decodeChunks(byRef.get('D')!).map((c) => c.frame!))).toHaveLength(2);
});

test('a restart on the same data directory replays everything acknowledged', async () => {
  await clients.shutdown();
  clients.close();
  clients = await start({ GF_PLUGIN_DATA_DIR: dataDir, GF_PLUGIN_INGEST_ADDRESS: 'off', GF_PLUGIN_DEMO_DATA: 'false' });
  expect((await settings(clients)).store).toMatchObject({ available: true, series: 3 });
  const rows = rowsOf((await samples(clients, 'http_requests_total', 'arrow')).map((c) => c.frame!));
  expect(rows).toHaveLength(5);
});

test('without a data directory, stored-data queries answer 503 saying why; synthetic still works', async () => {
  const bare = await start({});
  try {
    const result = await bare.queryChunked(
      queryRequest([dataQuery('A', { selector: 'up' }, 'samples'), dataQuery('B', { rows: 3 })], 'json')
    );
    const messages = result.messages.map((m) => m.message);
    expect(messages.find((m) => m.refId === 'A')).toMatchObject({
      status: 503,
      error: expect.stringMatching(
        /embedded store is not available: no data directory is configured \(GF_PLUGIN_DATA_DIR/
      ),
    });
    expect(messages.filter((m) => m.refId === 'B' && m.status === 200)).toHaveLength(1);
    const health = await bare.checkHealth('{}');
    expect(health.message).toMatch(/no embedded store/);
  } finally {
    bare.close();
  }
});

test('maintenance applies retention by time and checkpoints the WAL on its interval', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-maintenance-'));
  const c = await start({
    GF_PLUGIN_DATA_DIR: dir,
    GF_PLUGIN_INGEST_ADDRESS: '127.0.0.1:0',
    GF_PLUGIN_DEMO_DATA: 'false',
    GF_PLUGIN_RETENTION: '1h',
    GF_PLUGIN_MAINTENANCE_INTERVAL: '1s',
  });
  try {
    const url = `http://${(await settings(c)).store.ingestAddress}/api/v1/write`;
    const now = Date.now();
    const write = (name: string, t: number) =>
      sendRemoteWrite(url, encodeV1([{ labels: [['__name__', name]], timestamps: [t], values: Float64Array.of(1) }]));
    expect((await write('old_metric', now - 3 * 3_600_000)).status).toBe(204);
    expect((await write('new_metric', now)).status).toBe(204);
    const names = async () => (await resource(c, 'label/__name__/values')).body.data as string[];
    expect(await names()).toEqual(['new_metric', 'old_metric']);
    const deadline = Date.now() + 5_000;
    while ((await names()).length > 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await names()).toEqual(['new_metric']);
    expect(readdirSync(dir).some((name) => name.startsWith('checkpoint'))).toBe(true);
  } finally {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
