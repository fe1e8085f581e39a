/**
 * The query API over real HTTP (127.0.0.1:0) with a scripted engine: parameters reach the engine as
 * Prometheus would pass them, bad parameters and engine errors answer with Prometheus' errorType,
 * status and text, the JSON shape is Prometheus', a client that hangs up cancels the query, and the
 * `timeout` parameter ends it as a timeout.
 */
import { request, type IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';

import { startQueryApi, type QueryApiServer, type QueryEngineLike } from '../../src/api';
import { successBody } from '../../src/api/json-body';
import { QueryError, type QueryOptions, type QueryResult } from '../../src/engine/api';

interface Call {
  kind: 'instant' | 'range';
  query: string;
  args: number[];
  opts?: QueryOptions;
}

let server: QueryApiServer;
let calls: Call[];
let answer: (call: Call) => Promise<QueryResult>;

const empty = { warnings: [], infos: [] };

beforeEach(async () => {
  calls = [];
  answer = async () => ({ resultType: 'vector', samples: [], ...empty });
  const engine: QueryEngineLike = {
    instantQuery: (query, timeMs, opts) => {
      const call: Call = { kind: 'instant', query, args: [timeMs], opts };
      calls.push(call);
      return answer(call);
    },
    rangeQuery: (query, startMs, endMs, stepMs, opts) => {
      const call: Call = { kind: 'range', query, args: [startMs, endMs, stepMs], opts };
      calls.push(call);
      return answer(call);
    },
  };
  server = await startQueryApi({ engine, listen: '127.0.0.1:0', now: () => 1_700_000_000_123 });
});
afterEach(() => server.close());

interface Reply {
  status: number;
  contentType?: string;
  text: string;
  json: Record<string, unknown>;
}

function http(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Reply> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `http://${server.address}${path}`,
      {
        method: init.method ?? (body ? 'POST' : 'GET'),
        headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (404, 405)
          }
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text, json });
        });
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

it('an instant query: parameters in, Prometheus JSON out', async () => {
  answer = async () => ({
    resultType: 'vector',
    samples: [{ labels: [{ name: '__name__', value: 'up' }], t: 1500, v: 1 }],
    warnings: ['PromQL warning: w (1:1)'],
    infos: [],
  });
  const r = await http('/api/v1/query?query=up&time=1.5&lookback_delta=1m');
  expect(r.status).toBe(200);
  expect(r.contentType).toBe('application/json');
  expect(r.text).toBe(
    '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1.500,"1"]}]},' +
      '"warnings":["PromQL warning: w (1:1)"]}'
  );
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ kind: 'instant', query: 'up', args: [1500] });
  expect(calls[0].opts?.lookbackDeltaMs).toBe(60_000);
  expect(calls[0].opts?.signal).toBeInstanceOf(AbortSignal);

  // No time: "now", as Prometheus does.
  await http('/api/v1/query?query=up');
  expect(calls[1].args).toEqual([1_700_000_000_123]);
});

it('a range query by POST form; body parameters win over the URL, as in Go', async () => {
  answer = async () => ({
    resultType: 'matrix',
    series: [{ labels: [], timestamps: [0, 15_000], values: [1, NaN] }],
    warnings: [],
    infos: ['PromQL info: i (1:1)'],
  });
  const r = await http('/api/v1/query_range?query=ignored&step=1h', {
    form: { query: 'sum(x)', start: '1970-01-01T00:00:00Z', end: '60', step: '15s' },
  });
  expect(r.status).toBe(200);
  expect(r.json).toEqual({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [0, '1'],
            [15, 'NaN'],
          ],
        },
      ],
    },
    infos: ['PromQL info: i (1:1)'],
  });
  expect(calls[0]).toMatchObject({ kind: 'range', query: 'sum(x)', args: [0, 60_000, 15_000] });
});

it.each([
  [
    '/api/v1/query_range?query=up&start=x&end=1&step=1',
    'invalid parameter "start": cannot parse "x" to a valid timestamp',
  ],
  [
    '/api/v1/query_range?query=up&start=2&end=1&step=1',
    'invalid parameter "end": end timestamp must not be before start time',
  ],
  [
    '/api/v1/query_range?query=up&start=0&end=1&step=0',
    'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
  ],
  [
    '/api/v1/query_range?query=up&start=0&end=86400&step=1',
    'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
  ],
  [
    '/api/v1/query?query=up&time=tomorrow',
    `invalid parameter "time": invalid time value for 'time': cannot parse "tomorrow" to a valid timestamp`,
  ],
  ['/api/v1/query?query=up&timeout=0s', 'invalid parameter "timeout": timeout must be positive, got 0s'],
])('bad parameters: %s → 400 bad_data', async (path, message) => {
  const r = await http(path);
  expect(r.status).toBe(400);
  expect(r.json).toEqual({ status: 'error', errorType: 'bad_data', error: message });
  expect(calls).toHaveLength(0);
});

it.each([
  ['bad_data', 400, 'invalid parameter "query": 1:5: parse error: unexpected end of input'],
  ['execution', 422, 'vector cannot contain metrics with the same labelset'],
  ['timeout', 503, 'query timed out in expression evaluation'],
  ['canceled', 499, 'query was canceled'],
  ['internal', 500, 'boom'],
] as const)('engine error %s → HTTP %d', async (type, status, message) => {
  answer = async () => {
    // Parse errors come from the engine without the API's prefix, as from Prometheus' engine.
    throw new QueryError(type, message.replace('invalid parameter "query": ', ''));
  };
  const r = await http('/api/v1/query?query=sum(');
  expect(r.status).toBe(status);
  expect(r.json).toEqual({ status: 'error', errorType: type, error: message });
});

it('an unexpected exception in the engine is an internal error', async () => {
  answer = async () => {
    throw new TypeError('x is undefined');
  };
  const r = await http('/api/v1/query?query=up');
  expect(r.status).toBe(500);
  expect(r.json).toEqual({ status: 'error', errorType: 'internal', error: 'x is undefined' });
});

it('scalar and string results, limit truncation with a warning', async () => {
  answer = async (call) =>
    call.query === 's'
      ? { resultType: 'string', t: 1000, v: 'hi', ...empty }
      : call.query === 'n'
        ? { resultType: 'scalar', t: 1000, v: -Infinity, ...empty }
        : {
            resultType: 'vector',
            samples: [
              { labels: [{ name: 'a', value: '1' }], t: 0, v: 1 },
              { labels: [{ name: 'a', value: '2' }], t: 0, v: 2 },
            ],
            ...empty,
          };
  expect((await http('/api/v1/query?query=s')).text).toBe(
    '{"status":"success","data":{"resultType":"string","result":[1,"hi"]}}'
  );
  expect((await http('/api/v1/query?query=n')).text).toBe(
    '{"status":"success","data":{"resultType":"scalar","result":[1,"-Inf"]}}'
  );
  expect((await http('/api/v1/query?query=v&limit=1')).json).toEqual({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: { a: '1' }, value: [0, '1'] }] },
    warnings: ['results truncated due to limit'],
  });
});

it('a client that hangs up cancels the query', async () => {
  let seen: AbortSignal | undefined;
  const aborted = new Promise<void>((resolve) => {
    answer = (call) =>
      new Promise((_resolve, reject) => {
        seen = call.opts?.signal;
        seen?.addEventListener('abort', () => {
          resolve();
          reject(new QueryError('canceled', 'query was canceled'));
        });
      });
  });
  const req = request(`http://${server.address}/api/v1/query?query=slow`);
  req.on('error', () => undefined);
  req.end();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (calls.length > 0) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  expect(seen?.aborted).toBe(false);
  req.destroy();
  await aborted;
  expect(seen?.aborted).toBe(true);
});

it('the timeout parameter cancels the query and answers 503 timeout', async () => {
  answer = (call) =>
    new Promise((_resolve, reject) => {
      call.opts?.signal?.addEventListener('abort', () => reject(new QueryError('canceled', 'query was canceled')));
    });
  const r = await http('/api/v1/query?query=slow&timeout=0.05');
  expect(r.status).toBe(503);
  expect(r.json).toEqual({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
});

it('other paths and methods; no reset endpoint outside test mode; health', async () => {
  expect((await http('/api/v1/nope')).status).toBe(404);
  expect((await http('/-/reset', { method: 'POST' })).status).toBe(404);
  const put = await http('/api/v1/query?query=up', { method: 'PUT' });
  expect(put.status).toBe(405);
  expect((await http('/api/v1/label/job/values', { method: 'POST' })).status).toBe(405);
  expect((await http('/-/healthy')).status).toBe(200);
  // Without a store the metadata endpoints say so.
  expect((await http('/api/v1/labels')).status).toBe(404);
});

function fetchRaw(path: string, accept?: string): Promise<IncomingMessage & { body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `http://${server.address}${path}`,
      { headers: accept ? { 'Accept-Encoding': accept } : {} },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve(Object.assign(r, { body: Buffer.concat(chunks) })));
      }
    );
    req.on('error', reject);
    req.end();
  });
}

it('streams a body of many megabytes in chunks, plain and compressed, byte-identical', async () => {
  const timestamps = Array.from({ length: 2000 }, (_, i) => 1_700_000_000_000 + i * 15_000 + (i % 3));
  const series = Array.from({ length: 60 }, (_, k) => ({
    labels: [{ name: 'k', value: `ü${k}` }],
    timestamps,
    values: timestamps.map((_, i) => (i * k) / 7 - 3),
  }));
  answer = async () => ({ resultType: 'matrix', series, ...empty });
  const path = '/api/v1/query_range?query=x&start=0&end=1&step=1';
  const plain = await fetchRaw(path);
  expect(plain.statusCode).toBe(200);
  expect(plain.headers['transfer-encoding']).toBe('chunked');
  expect(plain.body.length).toBeGreaterThan(3 << 20);
  const parsed = JSON.parse(plain.body.toString('utf8'));
  expect(parsed.data.result).toHaveLength(60);
  expect(parsed.data.result[59].metric).toEqual({ k: 'ü59' });
  expect(plain.body.includes('[1700029985.001,"')).toBe(true);
  expect(parsed.data.result[59].values[1999]).toEqual([timestamps[1999] / 1000, String((1999 * 59) / 7 - 3)]);
  expect(parsed.data.result[3].values[1]).toEqual([1_700_000_015.001, String(3 / 7 - 3)]);
  const gz = await fetchRaw(path, 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.body.length).toBeLessThan(plain.body.length / 2);
  expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
});

it('sends concurrent multi-megabyte bodies intact while their chunks are reused', async () => {
  // Chunks go back to a pool once written out; a chunk reused too early would show in another body.
  const result = (k: number): QueryResult => ({
    resultType: 'matrix',
    series: Array.from({ length: 40 }, (_, i) => {
      const timestamps = Array.from({ length: 5000 }, (_, j) => 1_700_000_000_000 + j * 15_000);
      return {
        labels: [{ name: 'i', value: `${k}-${i}` }],
        timestamps,
        values: timestamps.map((_, j) => (j * (i + k)) / 3),
      };
    }),
    ...empty,
  });
  answer = async (call) => result(Number(call.query));
  const expected = (k: number): Buffer => Buffer.concat([...successBody(result(k), 0, [], [])]);
  for (let round = 0; round < 2; round++) {
    const replies = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        fetchRaw(`/api/v1/query_range?query=${k}&start=0&end=1&step=1`, k % 2 ? 'gzip' : undefined)
      )
    );
    replies.forEach((r, i) => {
      const body = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
      expect(body.length).toBeGreaterThan(4 << 20);
      expect(body.equals(expected(i + 1))).toBe(true);
    });
  }
});

it('answers compressed when asked, as Prometheus does (first of gzip/deflate in Accept-Encoding)', async () => {
  for (const [accept, encoding, decode] of [
    ['gzip, deflate', 'gzip', gunzipSync],
    ['br, deflate', 'deflate', inflateSync],
  ] as const) {
    const res = await fetchRaw('/api/v1/query?query=up', accept);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(decode(res.body).toString('utf8'))).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [] },
    });
  }
});
