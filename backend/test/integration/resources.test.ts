/**
 * CallResource through the real backend process: `POST query` streams NDJSON as the rows are made
 * (Grafana flushes every message to the browser), `GET settings` answers JSON, anything else 404.
 */
import * as pb from '../../src/generated/pluginv2/backend';
import { appendFrameJSONData, decodeFrameJSON, Frame } from '../../src/runtime/frames';
import { expectSyntheticRows, rowsOf } from '../helpers/frames';
import { FROM_MS, GrpcStatus, pluginContext, PluginClients, StreamResult } from '../helpers/grpc';
import { counter } from '../helpers/metrics';
import { startPlugin } from '../helpers/plugin';
import { killAll } from '../helpers/process';
import { waitUntil } from '../helpers/wait';

jest.setTimeout(30_000);

let clients: PluginClients;

beforeAll(async () => {
  const { handshake } = await startPlugin();
  clients = new PluginClients(handshake.target);
  // Connect before anything is timed.
  expect((await clients.callResource({ path: 'settings' })).error).toBeUndefined();
});

afterAll(async () => {
  clients?.close();
  await killAll();
});

function header(message: pb.CallResourceResponse, name: string): string[] | undefined {
  const key = Object.keys(message.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : message.headers[key].values;
}

function bodyText(result: StreamResult<pb.CallResourceResponse>): string {
  return Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8');
}

type Line =
  | { type: 'frame'; refId: string; frameId: string; rows: number; frame: { schema?: unknown; data: unknown } }
  | { type: 'error'; refId: string; status: number; error: string; errorSource: string }
  | { type: 'progress'; refId: string; rows: number; total?: number; chunks: number; bytes: number; elapsedMs: number }
  | { type: 'end'; chunks: number; rows: number; bytes: number; elapsedMs: number };

function ndjson(result: StreamResult<pb.CallResourceResponse>): Line[] {
  const text = bodyText(result);
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

function postQuery(body: unknown, jsonData = '{}'): Promise<StreamResult<pb.CallResourceResponse>> {
  return clients.callResource({
    pluginContext: pluginContext(jsonData),
    path: 'query',
    method: 'POST',
    url: '/api/datasources/uid/sluice-test/resources/query',
    headers: { 'Content-Type': { values: ['application/json'] } },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });
}

describe('POST query', () => {
  test('streams 200,000 rows as NDJSON: 200 frame lines (schema first) then an end line, as they are made', async () => {
    const result = await postQuery({
      from: '1700000000000',
      to: '1700003600000',
      queries: [{ refId: 'A', queryType: 'synthetic', rows: 200000 }],
    });
    expect(result.error).toBeUndefined();
    const first = result.messages[0].message;
    expect(first.code).toBe(200);
    expect(header(first, 'content-type')?.[0]).toMatch(/ndjson|jsonl/);

    const lines = ndjson(result);
    const frames = lines.filter((l): l is Extract<Line, { type: 'frame' }> => l.type === 'frame');
    expect(frames).toHaveLength(200);
    const end = lines[lines.length - 1];
    expect(end).toMatchObject({ type: 'end', chunks: 200, rows: 200_000 });

    // Progress: announced before the first row (with the total the query will produce), and once the
    // frame is complete; counts only ever grow.
    const progress = lines.filter((l): l is Extract<Line, { type: 'progress' }> => l.type === 'progress');
    expect(lines[0]).toMatchObject({ type: 'progress', refId: 'A', rows: 0, total: 200_000 });
    expect(progress[progress.length - 1]).toMatchObject({ rows: 200_000, chunks: 200, total: 200_000 });
    expect(lines.indexOf(progress[progress.length - 1])).toBeGreaterThan(lines.indexOf(frames[199]));
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].rows).toBeGreaterThanOrEqual(progress[i - 1].rows);
    }
    expect(lines).toHaveLength(200 + progress.length + 1);

    // Frame lines carry Grafana frame JSON: schema on the first one only, rows appended after.
    expect(Object.keys(frames[0].frame)).toEqual(['schema', 'data']);
    expect(frames.slice(1).every((f) => Object.keys(f.frame).join() === 'data')).toBe(true);
    const decoded: Frame[] = [decodeFrameJSON(JSON.stringify(frames[0].frame))];
    for (const line of frames.slice(1)) {
      const frame = new Frame(decoded[0].schema);
      appendFrameJSONData(frame, JSON.stringify(line.frame));
      expect(frame.length).toBe(line.rows);
      decoded.push(frame);
    }
    const rows = rowsOf(decoded);
    expect(rows).toHaveLength(200_000);
    expectSyntheticRows(rows, FROM_MS);

    // Streamed, not buffered: the first message arrived while the backend was still producing (its
    // own elapsedMs is measured from after the request arrived), and the messages are spread out.
    const firstAt = result.messages[0].at - result.startedAt;
    const lastAt = result.messages[result.messages.length - 1].at - result.startedAt;
    expect(firstAt).toBeLessThan((end as Extract<Line, { type: 'end' }>).elapsedMs);
    expect(lastAt).toBeGreaterThan(firstAt);
    expect(result.messages.length).toBeGreaterThan(1);
  });

  test('a query with an invalid model gets an error line and still an end line; the status stays 200', async () => {
    const result = await postQuery({
      queries: [
        { refId: 'A', queryType: 'synthetic', rows: 5 },
        { refId: 'B', queryType: 'synthetic', rows: -1 },
      ],
    });
    expect(result.messages[0].message.code).toBe(200);
    const lines = ndjson(result);
    expect(lines.filter((l) => l.type === 'frame').map((l) => l.type === 'frame' && l.refId)).toEqual(['A']);
    const errors = lines.filter((l) => l.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ refId: 'B', status: 400 });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'end', rows: 5 });
  });

  test('a body that is not JSON: 400 with a JSON error', async () => {
    const result = await postQuery('{"queries": [');
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0].message.code).toBe(400);
    expect(header(result.messages[0].message, 'content-type')).toEqual(['application/json']);
    expect(JSON.parse(bodyText(result)).error).toMatch(/not valid JSON/);
  });
  test('cancelling a 10M-row stream after its first message ends the call within 1 s', async () => {
    const call = clients.resource.callResource({
      pluginContext: pluginContext(),
      path: 'query',
      method: 'POST',
      url: '',
      headers: {},
      body: Buffer.from(JSON.stringify({ queries: [{ refId: 'A', queryType: 'synthetic', rows: 10_000_000 }] })),
    });
    const ended = new Promise<number>((resolve) => call.on('status', (status) => resolve(status.code)));
    call.on('error', () => undefined);
    await new Promise<void>((resolve) => call.once('data', () => resolve()));
    const inFlight = async () =>
      counter(await clients.collectMetrics(), 'sluice_queries_in_flight', { method: 'CallResource' });
    expect(await inFlight()).toBe(1);
    call.cancel();
    expect(await ended).toBe(GrpcStatus.CANCELLED);
    expect(await waitUntil(async () => (await inFlight()) === 0, 1_000, 20)).toBe(true);
  });
});

describe('other routes', () => {
  test('GET settings returns the effective settings as JSON', async () => {
    const result = await clients.callResource({
      pluginContext: pluginContext('{"chunkRows":500}'),
      path: 'settings',
      method: 'GET',
    });
    expect(result.error).toBeUndefined();
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0].message.code).toBe(200);
    expect(header(result.messages[0].message, 'content-type')).toEqual(['application/json']);
    const body = JSON.parse(bodyText(result)) as { mode: string; version: string; settings: unknown };
    expect(body.mode).toBe('plugin');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.settings).toMatchObject({ chunkRows: 500, maxChunkBytes: 1024 * 1024, flushIntervalMs: 250 });
  });

  test('POST variables answers template-variable queries, 400 for unknown ones', async () => {
    const post = (body: string) => clients.callResource({ path: 'variables', method: 'POST', body: Buffer.from(body) });
    const ok = await post('{"query":"series"}');
    expect(ok.messages[0].message.code).toBe(200);
    const values = JSON.parse(bodyText(ok)) as { text: string; value: string }[];
    expect(values).toHaveLength(10);
    expect(values[3]).toEqual({ text: 'series-3', value: 'series-3' });
    const unknown = await post('{"query":"hosts"}');
    expect(unknown.messages[0].message.code).toBe(400);
    expect(JSON.parse(bodyText(unknown)).error).toMatch(/unknown variable query "hosts": supported are series/);
  });

  test.each([
    ['GET', 'no-such-thing'],
    ['DELETE', 'settings'],
    ['GET', 'query'],
  ])('%s %s: 404 with a JSON error', async (method, path) => {
    const result = await clients.callResource({ path, method });
    expect(result.error).toBeUndefined();
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0].message.code).toBe(404);
    expect(header(result.messages[0].message, 'content-type')).toEqual(['application/json']);
    expect(typeof JSON.parse(bodyText(result)).error).toBe('string');
  });
});
