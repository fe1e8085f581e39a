/**
 * PromQL through the real backend process: counters remote-written into the embedded store, then
 * `promql` and `promql-instant` queries over QueryChunkedData (JSON and Arrow), QueryData and the
 * NDJSON resource stream. Frames must be Grafana's data-plane types (timeseries-multi with the labels
 * on the value field, one frame per series; numeric-multi for instant vectors), legends applied,
 * values right, and a failing query must not take its neighbours down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pb from '../../src/generated/pluginv2/backend';
import { encodeV1, sendRemoteWrite } from '../../src/ingest';
import { decodeArrowFile, decodeFrameJSON, Frame } from '../../src/runtime/frames';
import { decodeChunks, DecodedChunk } from '../helpers/frames';
import { Format, pluginContext, queryRequest } from '../helpers/grpc';
import { killAll } from '../helpers/process';
import { startStore, StoreProcess } from '../helpers/store';

jest.setTimeout(60_000);

const MINUTE = 60_000;
/** A whole minute, so that 15 s samples and 1 m steps line up. */
const T0 = 1_700_000_040_000;
const FROM = T0;
const TO = T0 + 30 * MINUTE;

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-promql-'));
let store: StoreProcess;

/** Counters every 15 s from 10 minutes before the range to 5 minutes after it. */
function counter(instance: string, perScrape: number) {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = T0 - 10 * MINUTE, v = 1000; t <= TO + 5 * MINUTE; t += 15_000, v += perScrape) {
    timestamps.push(t);
    values.push(v);
  }
  return {
    labels: [
      ['__name__', 'sluice_test_requests_total'],
      ['instance', instance],
      ['job', 'api'],
    ] as [string, string][],
    timestamps,
    values: Float64Array.from(values),
  };
}

function promqlQuery(refId: string, model: Record<string, unknown>, queryType = 'promql'): pb.DataQuery {
  return {
    refId,
    // What Grafana sends for a panel whose interval works out to 1 minute.
    maxDataPoints: 1000n,
    intervalMS: BigInt(MINUTE),
    timeRange: { fromEpochMS: BigInt(FROM), toEpochMS: BigInt(TO) },
    json: Buffer.from(JSON.stringify({ refId, queryType, intervalMs: MINUTE, maxDataPoints: 1000, ...model })),
    queryType,
  };
}

const QUERIES = [
  promqlQuery('A', { expr: 'rate(sluice_test_requests_total[1m])', legendFormat: '{{instance}} ({{nope}})' }),
  promqlQuery('B', { expr: 'sluice_test_requests_total{instance="b"}' }, 'promql-instant'),
  promqlQuery('C', { expr: 'rate(sluice_test_requests_total[1m]' }),
  promqlQuery('D', { expr: 'sum(rate(sluice_test_requests_total[$__rate_interval]))' }),
  promqlQuery('E', { expr: 'no_such_metric' }),
];

beforeAll(async () => {
  store = await startStore(dataDir);
  const written = await sendRemoteWrite(store.writeUrl!, encodeV1([counter('a', 60), counter('b', 30)]));
  expect(written.status).toBe(204);
});

afterAll(async () => {
  store?.clients.close();
  await killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The frames of one refId, in frameId order of first appearance, rows of all chunks merged. */
function framesByRef(chunks: DecodedChunk[], refId: string): Frame[] {
  const frames = new Map<string, Frame>();
  for (const chunk of chunks.filter((c) => c.refId === refId && c.frame)) {
    const frame = frames.get(chunk.frameId);
    if (!frame) {
      frames.set(chunk.frameId, chunk.frame!);
    } else {
      for (let i = 0; i < chunk.frame!.length; i++) {
        frame.appendRow(chunk.frame!.getRow(i));
      }
    }
  }
  return [...frames.values()];
}

function column(frame: Frame, index: number): unknown[] {
  return Array.from({ length: frame.length }, (_, i) => frame.getRow(i)[index]);
}

/** What every protocol must answer for QUERIES. */
function expectAnswers(
  frames: (refId: string) => Frame[],
  error: (refId: string) => { status: number; error: string }
) {
  // A: one timeseries-multi frame per series, the legend with the unknown label left empty.
  const a = frames('A');
  expect(a).toHaveLength(2);
  const steps = Array.from({ length: 31 }, (_, i) => T0 + i * MINUTE);
  for (const [frame, instance, rate] of [
    [a[0], 'a', 4],
    [a[1], 'b', 2],
  ] as const) {
    expect(frame.schema.meta).toMatchObject({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(frame.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['Time', 'time'],
      ['Value', 'float64'],
    ]);
    expect(frame.schema.fields[1].labels).toEqual({ instance, job: 'api' });
    expect(frame.schema.fields[1].config).toEqual({ displayNameFromDS: `${instance} ()` });
    expect(column(frame, 0)).toEqual(steps);
    for (const value of column(frame, 1)) {
      expect(value).toBeCloseTo(rate, 9);
    }
  }
  expect(a[0].schema.meta?.executedQueryString).toBe('Expr: rate(sluice_test_requests_total[1m])\nStep: 1m');

  // B: an instant vector, numeric-multi, evaluated at the end of the range; no legend: Prometheus' name.
  const [b] = frames('B');
  expect(frames('B')).toHaveLength(1);
  expect(b.schema.meta).toMatchObject({ type: 'numeric-multi', typeVersion: [0, 1] });
  expect(b.schema.fields[1]).toMatchObject({
    name: 'Value',
    labels: { __name__: 'sluice_test_requests_total', instance: 'b', job: 'api' },
    config: { displayNameFromDS: 'sluice_test_requests_total{instance="b", job="api"}' },
  });
  // 30 minutes + 10 before the range, 30 per scrape.
  expect(b.getRow(0)).toEqual([TO, 1000 + 40 * 4 * 30]);

  // C: a parse error for C alone.
  expect(error('C').status).toBe(400);
  expect(error('C').error).toMatch(/parse error|unexpected|unclosed/i);

  // E: no series is the data plane's "no data": one typed frame without fields.
  const e = frames('E');
  expect(e).toHaveLength(1);
  expect(e[0].schema.fields).toEqual([]);
  expect(e[0].schema.meta).toMatchObject({ type: 'timeseries-multi', executedQueryString: expect.any(String) });

  // D: $__rate_interval = max(1m + 15s, 4 × 15s); a series without labels is named after its expression.
  const [d] = frames('D');
  expect(d.schema.meta?.executedQueryString).toBe('Expr: sum(rate(sluice_test_requests_total[1m15s]))\nStep: 1m');
  expect(d.schema.fields[1].labels).toEqual({});
  expect(d.schema.fields[1].config).toEqual({ displayNameFromDS: 'sum(rate(sluice_test_requests_total[1m15s]))' });
  expect(column(d, 1)[0]).toBeCloseTo(6, 9);
}

describe.each(['json', 'arrow'] as Format[])('QueryChunkedData (%s)', (format) => {
  test('data-plane frames per series, legends, values, and a per-refId error', async () => {
    const result = await store.clients.queryChunked(queryRequest(QUERIES, format));
    expect(result.error).toBeUndefined();
    const chunks = decodeChunks(result.messages.map((m) => m.message));
    expect(chunks.filter((c) => !c.error).every((c) => c.status === 200)).toBe(true);
    // Each series is its own frameId, sent as a whole before the next one starts.
    const aIds = chunks.filter((c) => c.refId === 'A').map((c) => c.frameId);
    expect(aIds).toEqual(['series-0', 'series-1']);
    expectAnswers(
      (refId) => framesByRef(chunks, refId),
      (refId) => chunks.find((c) => c.refId === refId && c.error)!
    );
  });
});

test('QueryData answers the same, per refId', async () => {
  for (const format of ['json', 'arrow'] as Format[]) {
    const reply = await store.clients.queryData(queryRequest(QUERIES, format));
    const decode = (bytes: Buffer) =>
      format === 'json' ? decodeFrameJSON(bytes.toString('utf8')) : decodeArrowFile(bytes);
    expectAnswers(
      (refId) => reply.responses[refId].frames.map(decode),
      (refId) => reply.responses[refId]
    );
    for (const refId of ['A', 'B', 'D', 'E']) {
      expect({ refId, status: reply.responses[refId].status, error: reply.responses[refId].error }).toEqual({
        refId,
        status: 200,
        error: '',
      });
    }
  }
});

test('the NDJSON query resource shows progress in series', async () => {
  const result = await store.clients.callResource({
    pluginContext: pluginContext(),
    path: 'query',
    method: 'POST',
    body: Buffer.from(
      JSON.stringify({
        from: String(FROM),
        to: String(TO),
        queries: [{ refId: 'A', queryType: 'promql', expr: 'sluice_test_requests_total', intervalMs: MINUTE }],
      })
    ),
  });
  const lines = Buffer.concat(result.messages.map((m) => m.message.body))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.filter((l) => l.type === 'frame').map((l) => l.frameId)).toEqual(['series-0', 'series-1']);
  const progress = lines.filter((l) => l.type === 'progress');
  expect(progress[progress.length - 1]).toMatchObject({ refId: 'A', seriesDone: 2, seriesTotal: 2, rows: 62 });
  expect(lines[lines.length - 1].type).toBe('end');
});

test('template variables: label_values, label_names, metrics and query_result', async () => {
  const post = async (query: string) => {
    const result = await store.clients.callResource({
      path: 'variables',
      method: 'POST',
      body: Buffer.from(JSON.stringify({ query, from: String(FROM), to: String(TO) })),
    });
    const body = JSON.parse(Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8'));
    return { code: result.messages[0].message.code, body };
  };
  const texts = async (query: string) => ((await post(query)).body as { text: string }[]).map((v) => v.text);
  expect(await texts('label_values(instance)')).toEqual(['a', 'b']);
  expect(await texts('label_values(sluice_test_requests_total{instance="b"}, instance)')).toEqual(['b']);
  expect(await texts('label_names()')).toEqual(['__name__', 'instance', 'job']);
  expect(await texts('metrics(sluice_.*)')).toEqual(['sluice_test_requests_total']);
  expect(await texts('query_result(sluice_test_requests_total{instance="a"})')).toEqual([
    `sluice_test_requests_total{instance="a",job="api"} ${1000 + 40 * 4 * 60} ${TO}`,
  ]);
  const bad = await post('query_result(rate(x[1m])');
  expect(bad.code).toBe(400);
});
