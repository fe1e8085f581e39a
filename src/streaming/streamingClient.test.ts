import { DataQueryResponse, LoadingState } from '@grafana/data';
import { config, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, Observable, toArray } from 'rxjs';

import { ControlledResponse, FakeBackendSrv } from '../testing/fakeBackendSrv';
import { fakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { DS_UID, jsonl, makeDataSource, makeRequest, ndjson, syntheticQuery } from '../testing/fixtures';
import type { SluiceOptions } from '../types';

const RESOURCE_URL = `/api/datasources/uid/${DS_UID}/resources/query`;
const JSONL_URL = `/apis/sluice-datasource.datasource.grafana.app/v0alpha1/namespaces/default/datasources/${DS_UID}/query`;

let backend: FakeBackendSrv;

beforeEach(() => {
  backend = new FakeBackendSrv();
  setBackendSrv(backend.asBackendSrv());
  setTemplateSrv(fakeTemplateSrv({ rows: '2000' }));
  config.namespace = 'default';
});

/** Subscribes like Grafana's runRequest does and records what arrives. */
function collect(observable: Observable<DataQueryResponse>) {
  const run = { packets: [] as DataQueryResponse[], completed: false, error: undefined as unknown };
  const subscription = observable.subscribe({
    next: (packet) => run.packets.push(packet),
    complete: () => (run.completed = true),
    error: (error: unknown) => (run.error = error),
  });
  return Object.assign(run, { subscription });
}

function runQuery(options: SluiceOptions, refIds = ['A']) {
  const datasource = makeDataSource(options);
  return { datasource, run: collect(datasource.query(makeRequest(refIds.map((refId) => syntheticQuery(refId))))) };
}

function rowsOf(packet: DataQueryResponse): number {
  return packet.data.reduce((sum: number, frame: { length: number }) => sum + frame.length, 0);
}

function lastPacket(packets: DataQueryResponse[], key: string): DataQueryResponse {
  const found = packets.filter((packet) => packet.key === key);
  expect(found.length).toBeGreaterThan(0);
  return found[found.length - 1];
}

describe('resource transport (NDJSON)', () => {
  it('emits cumulative frames per query with Streaming, then Done, under one key per refId', () => {
    const { run } = runQuery({ transport: 'resource' });
    const response = backend.last;
    expect(response.options.url).toBe(RESOURCE_URL);
    expect(response.options.headers).toMatchObject({ Accept: 'application/x-ndjson', 'X-Datasource-Uid': DS_UID });

    response.respond(200).send(ndjson.frame('A', 0, 1000));
    response.send(ndjson.frame('A', 1000, 1000));
    expect(run.packets.map((p) => [p.key, p.state, rowsOf(p)])).toEqual([
      ['A', LoadingState.Streaming, 1000],
      ['A', LoadingState.Streaming, 2000],
    ]);
    // Data-only chunks were appended to the first chunk's columns, not rebuilt.
    const [first, second] = run.packets.map((p) => p.data[0]);
    expect(second.fields[0].values).toBe(first.fields[0].values);
    expect(second.fields[1].values[1999]).toBe(999.5);

    response.send(ndjson.end());
    response.end();
    const done = run.packets[run.packets.length - 1];
    expect(done).toMatchObject({ key: 'A', state: LoadingState.Done });
    expect(done.errors).toBeUndefined();
    expect(rowsOf(done)).toBe(2000);
    expect(run.completed).toBe(true);
  });

  it('sends the normal query request body with variables resolved', () => {
    const datasource = makeDataSource({ transport: 'resource' });
    collect(datasource.query(makeRequest([{ refId: 'A', queryType: 'synthetic', rows: '$rows', seed: 3 }])));
    expect(backend.last.body).toEqual({
      from: '1700000000000',
      to: '1700003600000',
      queries: [
        expect.objectContaining({ refId: 'A', queryType: 'synthetic', rows: 2000, seed: 3, maxDataPoints: 500 }),
      ],
    });
    expect(backend.last.options).toMatchObject({ method: 'POST', requestId: 'Q1' });
  });

  it('reassembles a line split across reads, even inside a multi-byte UTF-8 character', () => {
    const { run } = runQuery({ transport: 'resource' });
    const frame = ndjson.frame('A', 0, 3).replace(/series-0/g, 'série-😀');
    const bytes = new TextEncoder().encode(frame + ndjson.end());
    const emoji = new TextEncoder().encode('😀');
    const splitAt = indexOfBytes(bytes, emoji) + 2; // between the emoji's second and third byte
    const response = backend.last.respond(200);
    response.send(bytes.slice(0, 5)).send(bytes.slice(5, splitAt)).send(bytes.slice(splitAt));
    response.end();
    const done = lastPacket(run.packets, 'A');
    expect(done.state).toBe(LoadingState.Done);
    expect(done.errors).toBeUndefined();
    expect(done.data[0].fields[2].values[0]).toBe('série-😀');
  });

  it('handles \\r\\n line ends and a last line without a newline', () => {
    const { run } = runQuery({ transport: 'resource' });
    const text = (ndjson.frame('A', 0, 10) + ndjson.end()).replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    backend.last.respond(200).send(text).end();
    const done = lastPacket(run.packets, 'A');
    expect(done.errors).toBeUndefined();
    expect(rowsOf(done)).toBe(10);
  });

  it("turns a query's error line into that query's error while the others continue", () => {
    const { run } = runQuery({ transport: 'resource' }, ['A', 'B']);
    const response = backend.last.respond(200);
    response.send(ndjson.frame('A', 0, 100) + ndjson.error('unknown queryType "x"', 'B'));
    response.send(ndjson.frame('A', 100, 100) + ndjson.end());
    response.end();
    const a = lastPacket(run.packets, 'A');
    const b = lastPacket(run.packets, 'B');
    expect(a).toMatchObject({ state: LoadingState.Done });
    expect(a.errors).toBeUndefined();
    expect(rowsOf(a)).toBe(200);
    expect(b.errors).toEqual([{ refId: 'B', message: 'unknown queryType "x"', status: 400 }]);
    expect(b.data).toEqual([]);
  });

  it('gives a whole-request error line to every query and stops reading', () => {
    const { run } = runQuery({ transport: 'resource' }, ['A', 'B']);
    const response = backend.last.respond(200);
    response.send(ndjson.frame('A', 0, 100) + ndjson.error('the backend is shutting down', undefined, 503));
    expect(response.cancelled).toBe(true);
    expect(run.completed).toBe(true);
    for (const refId of ['A', 'B']) {
      const packet = lastPacket(run.packets, refId);
      expect(packet.state).toBe(LoadingState.Done);
      expect(packet.errors?.[0]).toMatchObject({ refId, message: 'the backend is shutting down', status: 503 });
    }
    // Rows that arrived before the failure stay visible.
    expect(rowsOf(lastPacket(run.packets, 'A'))).toBe(100);
  });

  it('reports a stream that closes without its end line as ended early', () => {
    const { run } = runQuery({ transport: 'resource' });
    backend.last
      .respond(200)
      .send(ndjson.frame('A', 0, 500))
      .end();
    const done = lastPacket(run.packets, 'A');
    expect(done.state).toBe(LoadingState.Done);
    expect(done.errors?.[0].message).toMatch(/stream ended early/);
    expect(rowsOf(done)).toBe(500);
  });

  it('reports a broken connection mid-stream, keeping the rows received', () => {
    const { run } = runQuery({ transport: 'resource' });
    const response = backend.last.respond(200).send(ndjson.frame('A', 0, 500));
    response.fail(new TypeError('network error'));
    const done = lastPacket(run.packets, 'A');
    expect(done.errors?.[0].message).toBe('stream interrupted, the result is incomplete: network error');
    expect(rowsOf(done)).toBe(500);
  });

  it('reports an HTTP error before the first line with the body message, without falling back', () => {
    const { run } = runQuery({ transport: 'resource' });
    backend.last.respond(400).send('{"error":"request body needs a non-empty \\"queries\\" array"}').end();
    expect(backend.chunked).toHaveBeenCalledTimes(1);
    expect(backend.fetch).not.toHaveBeenCalled();
    expect(lastPacket(run.packets, 'A').errors?.[0]).toMatchObject({
      message: 'HTTP 400: request body needs a non-empty "queries" array',
      status: 400,
    });
  });

  it('aborts the request on unsubscribe and emits nothing more', () => {
    const { run } = runQuery({ transport: 'resource' });
    const response = backend.last.respond(200).send(ndjson.frame('A', 0, 100));
    expect(run.packets).toHaveLength(1);
    run.subscription.unsubscribe();
    expect(response.cancelled).toBe(true);
    response.send(ndjson.frame('A', 100, 100) + ndjson.end());
    response.end();
    expect(run.packets).toHaveLength(1);
    expect(run.completed).toBe(false);
  });

  it('shows PromQL progress in series', () => {
    const datasource = makeDataSource({ transport: 'resource' });
    const run = collect(datasource.query(makeRequest([syntheticQuery('A', 10)])));
    const progress = { type: 'progress', refId: 'A', rows: 10, seriesDone: 1, seriesTotal: 4, samplesScanned: 50 };
    backend.last.respond(200).send(ndjson.frame('A', 0, 10) + `${JSON.stringify(progress)}\n`);
    const meta = lastPacket(run.packets, 'A').data[0].meta;
    expect(meta.notices[0].text).toMatch(/^Streaming: 1 of 4 series \(25%\), 10 rows/);
    expect(meta.stats).toEqual(expect.arrayContaining([{ displayName: 'Samples scanned', value: 50 }]));
  });

  it('shows a progress notice and stats while streaming, and drops the notice when done', () => {
    const datasource = makeDataSource({ transport: 'resource' });
    jest.spyOn(Date, 'now').mockReturnValue(1_000);
    const run = collect(datasource.query(makeRequest([syntheticQuery('A', 10_000)])));
    const response = backend.last.respond(200);
    (Date.now as jest.Mock).mockReturnValue(1_400);
    response.send(ndjson.frame('A', 0, 2000) + ndjson.progress('A', 2000, 10_000));
    const streaming = lastPacket(run.packets, 'A');
    const meta = streaming.data[0].meta;
    expect(meta.notices).toEqual([
      {
        severity: 'info',
        inspect: 'stats',
        text: expect.stringMatching(/^Streaming: 2,000 of 10,000 rows \(20%\), \d+(\.\d)? kB, ETA 2 s$/),
      },
    ]);
    expect(meta.stats).toEqual(
      expect.arrayContaining([
        { displayName: 'Rows received', value: 2000 },
        { displayName: 'Chunks received', value: 1 },
        { displayName: 'Rows expected', value: 10_000 },
        { displayName: 'Elapsed', value: 400, unit: 'ms' },
      ])
    );
    response.send(ndjson.end()).end();
    const done = lastPacket(run.packets, 'A');
    expect(done.state).toBe(LoadingState.Done);
    expect(done.data[0].meta.notices).toEqual([]);
    expect(done.data[0].meta.stats).toEqual(expect.arrayContaining([{ displayName: 'Rows received', value: 2000 }]));
    jest.restoreAllMocks();
  });

  it('cuts rows beyond maxRowsPerQuery with a warning and stops reading once every query is cut', () => {
    const { run } = runQuery({ transport: 'resource', maxRowsPerQuery: 1500 });
    const response = backend.last.respond(200);
    response.send(ndjson.frame('A', 0, 1000) + ndjson.frame('A', 1000, 1000));
    expect(response.cancelled).toBe(true);
    const done = lastPacket(run.packets, 'A');
    expect(done.state).toBe(LoadingState.Done);
    expect(done.errors).toBeUndefined();
    expect(rowsOf(done)).toBe(1500);
    expect(done.data[0].fields.every((field: { values: unknown[] }) => field.values.length === 1500)).toBe(true);
    expect(done.data[0].meta.notices).toEqual([
      expect.objectContaining({ severity: 'warning', text: expect.stringMatching(/only the first 1,500 rows/) }),
    ]);
  });

  it('drops frames beyond maxFrames with a warning', () => {
    const { run } = runQuery({ transport: 'resource', maxFrames: 2 });
    const response = backend.last.respond(200);
    for (const frameId of ['s1', 's2', 's3', 's4']) {
      response.send(ndjson.frame('A', 0, 10, frameId));
    }
    response.send(ndjson.end()).end();
    const done = lastPacket(run.packets, 'A');
    expect(done.data).toHaveLength(2);
    expect(done.data[0].meta.notices).toEqual([
      expect.objectContaining({
        severity: 'warning',
        text: expect.stringMatching(/first 2 frames .* 2 more were dropped/),
      }),
    ]);
  });

  it('throttles snapshots and always sends the final one', () => {
    jest.useFakeTimers();
    try {
      const datasource = makeDataSource({ transport: 'resource' });
      datasource.snapshotIntervalMs = 100;
      const run = collect(datasource.query(makeRequest([syntheticQuery('A')])));
      const response = backend.last.respond(200);
      response.send(ndjson.frame('A', 0, 10));
      response.send(ndjson.frame('A', 10, 10));
      response.send(ndjson.frame('A', 20, 10));
      expect(run.packets.map(rowsOf)).toEqual([10]);
      jest.advanceTimersByTime(100);
      expect(run.packets.map(rowsOf)).toEqual([10, 30]);
      response.send(ndjson.frame('A', 30, 10) + ndjson.end());
      response.end();
      expect(run.packets.map((p) => [rowsOf(p), p.state])).toEqual([
        [10, LoadingState.Streaming],
        [30, LoadingState.Streaming],
        [40, LoadingState.Done],
      ]);
      jest.advanceTimersByTime(1000);
      expect(run.packets).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('JSONL transport and fallbacks', () => {
  it("reads Grafana's chunked JSONL endpoint, whose clean end needs no end line", () => {
    config.namespace = 'stacks-12';
    const { run } = runQuery({});
    const response = backend.last;
    expect(response.options.url).toBe(JSONL_URL.replace('/default/', '/stacks-12/'));
    expect(response.options.headers).toMatchObject({ Accept: 'text/jsonl' });
    response
      .respond(200)
      .send(jsonl.frame('A', 0, 100))
      .send(jsonl.frame('A', 100, 50));
    response.end();
    const done = lastPacket(run.packets, 'A');
    expect(done).toMatchObject({ state: LoadingState.Done });
    expect(done.errors).toBeUndefined();
    expect(rowsOf(done)).toBe(150);
  });

  it('turns a JSONL error line into that query’s error', () => {
    const { run } = runQuery({}, ['A', 'B']);
    backend.last
      .respond(200)
      .send(jsonl.frame('A', 0, 10) + jsonl.error('B', 'boom'))
      .end();
    expect(lastPacket(run.packets, 'A').errors).toBeUndefined();
    expect(lastPacket(run.packets, 'B').errors).toEqual([{ refId: 'B', message: 'boom' }]);
  });

  it.each([404, 406])('falls back from JSONL to the resource stream on %i and remembers it', (status) => {
    backend.onChunked = (response) => {
      if (response.options.url === JSONL_URL) {
        response.respond(status).send('{"message":"chunked query streaming is not enabled"}').end();
      }
    };
    const datasource = makeDataSource({});
    const first = collect(datasource.query(makeRequest([syntheticQuery('A')])));
    expect(backend.chunkedResponses.map((r) => r.options.url)).toEqual([JSONL_URL, RESOURCE_URL]);
    expect(first.packets).toEqual([]);
    backend.last
      .respond(200)
      .send(ndjson.frame('A', 0, 10) + ndjson.end())
      .end();
    expect(lastPacket(first.packets, 'A')).toMatchObject({ state: LoadingState.Done });
    expect(lastPacket(first.packets, 'A').errors).toBeUndefined();

    collect(datasource.query(makeRequest([syntheticQuery('A')])));
    expect(backend.chunkedResponses.map((r) => r.options.url)).toEqual([JSONL_URL, RESOURCE_URL, RESOURCE_URL]);
  });

  it.each([404, 501])('falls back from the resource stream to /api/ds/query on %i and remembers it', async (status) => {
    backend.onChunked = (response) => response.respond(status).end();
    backend.onFetch = (options) => {
      expect(options.url).toMatch(/^\/api\/ds\/query/);
      return {
        results: {
          A: {
            status: 200,
            frames: [
              { schema: { refId: 'A', fields: [{ name: 'v', type: 'number' }] }, data: { values: [[1, 2, 3]] } },
            ],
          },
        },
      };
    };
    const datasource = makeDataSource({ transport: 'resource' });
    const first = await lastValueFrom(datasource.query(makeRequest([syntheticQuery('A')])).pipe(toArray()));
    expect(backend.chunked).toHaveBeenCalledTimes(1);
    expect(backend.fetch).toHaveBeenCalledTimes(1);
    expect(first[first.length - 1].data[0].fields[0].values).toEqual([1, 2, 3]);

    await lastValueFrom(datasource.query(makeRequest([syntheticQuery('A')])));
    expect(backend.chunked).toHaveBeenCalledTimes(1);
    expect(backend.fetch).toHaveBeenCalledTimes(2);
  });

  it('falls back when chunked() reports the missing endpoint as an error instead of a chunk', () => {
    backend.onChunked = (response: ControlledResponse) => {
      if (response.options.url === JSONL_URL) {
        response.fail({ status: 404, data: { message: 'Not found' } });
      }
    };
    const datasource = makeDataSource({});
    collect(datasource.query(makeRequest([syntheticQuery('A')])));
    expect(backend.chunkedResponses.map((r) => r.options.url)).toEqual([JSONL_URL, RESOURCE_URL]);
  });

  it('uses plain QueryData when configured to', async () => {
    backend.onFetch = () => ({ results: { A: { status: 200, frames: [] } } });
    const datasource = makeDataSource({ transport: 'unary' });
    await lastValueFrom(datasource.query(makeRequest([syntheticQuery('A')])));
    expect(backend.chunked).not.toHaveBeenCalled();
    expect(backend.fetch).toHaveBeenCalledTimes(1);
  });
});

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        continue outer;
      }
    }
    return i;
  }
  return -1;
}
