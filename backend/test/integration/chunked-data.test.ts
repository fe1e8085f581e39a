/**
 * Data through the real backend process: QueryChunkedData in JSON and Arrow, chunk sizes from the
 * defaults, the query and the datasource settings, per-refId errors, the byte bound, and QueryData
 * served from the same chunked handler (fallback (a)).
 */
import { tableFromIPC } from 'apache-arrow';
import * as pb from '../../src/generated/pluginv2/backend';
import { decodeArrowFile, decodeFrameJSON, Frame } from '../../src/runtime/frames';
import { decodeChunks, DecodedChunk, expectSyntheticRows, rowsOf } from '../helpers/frames';
import { dataQuery, Format, FROM_MS, queryRequest } from '../helpers/grpc';
import { useSharedPlugin } from '../helpers/shared-plugin';

jest.setTimeout(30_000);

const plugin = useSharedPlugin();

async function chunked(queries: pb.DataQuery[], format: Format, jsonData = '{}'): Promise<DecodedChunk[]> {
  const result = await plugin().queryChunked(queryRequest(queries, format, jsonData));
  expect(result.error).toBeUndefined();
  return decodeChunks(result.messages.map((m) => m.message));
}

const FORMAT = { json: pb.DataFrameFormat.JSON, arrow: pb.DataFrameFormat.ARROW } as const;

describe('QueryChunkedData', () => {
  test('JSON, 2500 rows: chunks of 1000, 1000, 500; schema in the first chunk only; status 200, format JSON', async () => {
    const chunks = await chunked([dataQuery('A', { rows: 2500 })], 'json');
    expect(chunks.map((c) => c.rows)).toEqual([1000, 1000, 500]);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ refId: 'A', status: 200, error: '', format: pb.DataFrameFormat.JSON });
      expect(chunk.frameId).toBe(chunks[0].frameId);
    }
    expect(chunks[0].frameId).not.toBe('');
    expect(Object.keys(chunks[0].json!)).toEqual(['schema', 'data']);
    for (const later of chunks.slice(1)) {
      expect(Object.keys(later.json!)).toEqual(['data']);
    }
    expect(chunks[0].frame!.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', 'time'],
      ['value', 'float64'],
      ['series', 'string'],
    ]);
    expectSyntheticRows(rowsOf(chunks.map((c) => c.frame!)), FROM_MS);
  });

  test('ARROW, 2500 rows: three complete Arrow IPC files decoding to 1000, 1000, 500 rows', async () => {
    const chunks = await chunked([dataQuery('A', { rows: 2500 })], 'arrow');
    expect(chunks).toHaveLength(3);
    const frames: Frame[] = [];
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ refId: 'A', status: 200, error: '', format: pb.DataFrameFormat.ARROW });
      expect(chunk.json).toBeUndefined();
      // Each chunk stands alone: an Arrow IPC *file* (magic at both ends) with its schema.
      expect(chunk.raw.subarray(0, 6).toString('latin1')).toBe('ARROW1');
      expect(chunk.raw.subarray(-6).toString('latin1')).toBe('ARROW1');
      frames.push(chunk.frame!);
    }
    // Read by Apache Arrow's own implementation too, not only by Sluice's decoder.
    const tables = chunks.map((c) => tableFromIPC(c.raw));
    expect(tables.map((t) => t.numRows)).toEqual([1000, 1000, 500]);
    expect(tables.map((t) => String(t.schema.fields.map((f) => `${f.name}:${f.type}`)))).toEqual(
      Array(3).fill('time:Timestamp<NANOSECOND>,value:Float64,series:Utf8')
    );
    expect(tables.map((t) => Number(t.getChild('time')!.get(0)))).toEqual([
      FROM_MS,
      FROM_MS + 1_000_000,
      FROM_MS + 2_000_000,
    ]);
    expect(frames.map((f) => f.length)).toEqual([1000, 1000, 500]);
    expectSyntheticRows(rowsOf(frames), FROM_MS);
  });

  test.each(['json', 'arrow'] as const)('%s: the query model chunkRows overrides the default', async (format) => {
    const chunks = await chunked([dataQuery('A', { rows: 2500, chunkRows: 300 })], format);
    expect(chunks.map((c) => c.rows)).toEqual([300, 300, 300, 300, 300, 300, 300, 300, 100]);
    expectSyntheticRows(rowsOf(chunks.map((c) => c.frame!)), FROM_MS);
  });

  test('the datasource setting chunkRows sets the chunk size, and a query chunkRows still wins', async () => {
    const settings = JSON.stringify({ chunkRows: 700 });
    const bySetting = await chunked([dataQuery('A', { rows: 2500 })], 'json', settings);
    expect(bySetting.map((c) => c.rows)).toEqual([700, 700, 700, 400]);
    const byQuery = await chunked([dataQuery('A', { rows: 2500, chunkRows: 1200 })], 'json', settings);
    expect(byQuery.map((c) => c.rows)).toEqual([1200, 1200, 100]);
  });

  test.each(['json', 'arrow'] as const)(
    '%s: invalid refIds get one 400 error chunk each, the valid refId completes',
    async (format) => {
      const chunks = await chunked(
        [
          dataQuery('A', { rows: 1500 }),
          dataQuery('B', '{"rows": 10,'),
          dataQuery('C', { rows: 10 }, 'no-such-type'),
          dataQuery('D', { rows: -1 }),
        ],
        format
      );
      const of = (refId: string) => chunks.filter((c) => c.refId === refId);
      expect(of('A').map((c) => [c.status, c.rows, c.error])).toEqual([
        [200, 1000, ''],
        [200, 500, ''],
      ]);
      const expected: Record<string, RegExp> = {
        B: /invalid query JSON/,
        C: /unknown queryType "no-such-type".*synthetic/,
        D: /rows must be an integer between 0 and \d+, got -1/,
      };
      for (const [refId, message] of Object.entries(expected)) {
        const errors = of(refId);
        expect(errors).toHaveLength(1);
        expect(errors[0].status).toBe(400);
        expect(errors[0].error).toMatch(message);
        expect(errors[0].errorSource).toBe('plugin');
        expect(errors[0].format).toBe(FORMAT[format]);
        expect(errors[0].rows).toBe(0);
        if (format === 'arrow') {
          // Arrow receivers (Grafana's typed client) decode every chunk's frame before its error.
          expect(tableFromIPC(errors[0].raw).numRows).toBe(0);
          expect(decodeArrowFile(errors[0].raw).length).toBe(0);
        } else {
          expect(errors[0].bytes).toBe(0);
        }
      }
      expect(chunks).toHaveLength(5);
    }
  );

  test.each(['json', 'arrow'] as const)(
    '%s: datasource setting maxChunkBytes=4096 bounds every chunk (≤ 4096 bytes plus one row)',
    async (format) => {
      const rows = 5000;
      const chunks = await chunked([dataQuery('A', { rows })], format, '{"maxChunkBytes":4096}');
      // One synthetic row (13-digit time, a float64, "series-N") is well under 128 bytes in either encoding.
      const oneRow = 128;
      for (const chunk of chunks) {
        expect(chunk.status).toBe(200);
        expect(chunk.bytes).toBeLessThanOrEqual(4096 + oneRow);
      }
      expect(chunks.length).toBeGreaterThan(rows / 1000);
      expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(rows);
      expectSyntheticRows(rowsOf(chunks.map((c) => c.frame!)), FROM_MS);
    }
  );
});

describe('QueryData (served from the chunked handler)', () => {
  function unaryFrames(response: pb.DataResponse, format: Format): Frame[] {
    return response.frames.map((bytes) =>
      format === 'arrow' ? decodeArrowFile(bytes) : decodeFrameJSON(bytes.toString('utf8'))
    );
  }

  test.each(['json', 'arrow'] as const)('%s: the same rows and schema as QueryChunkedData', async (format) => {
    const queries = [dataQuery('A', { rows: 2500, seed: 7 }), dataQuery('B', { rows: 1234, seed: 3 })];
    const chunks = await chunked(queries, format);
    const reply = await plugin().queryData(queryRequest(queries, format));
    expect(Object.keys(reply.responses).sort()).toEqual(['A', 'B']);
    for (const refId of ['A', 'B']) {
      const response = reply.responses[refId];
      expect(response).toMatchObject({ status: 200, error: '', format: FORMAT[format] });
      const frames = unaryFrames(response, format);
      expect(frames).toHaveLength(1);
      const streamed = chunks.filter((c) => c.refId === refId).map((c) => c.frame!);
      expect(frames[0].schema).toEqual(streamed[0].schema);
      expect(rowsOf(frames)).toEqual(rowsOf(streamed));
    }
    expect(rowsOf(unaryFrames(reply.responses.B, format))).toHaveLength(1234);
  });

  test('per-refId errors become that refId’s status and message, the others still answer', async () => {
    const reply = await plugin().queryData(
      queryRequest([dataQuery('A', { rows: 20 }), dataQuery('B', { rows: -1 })], 'json')
    );
    expect(reply.responses.A.status).toBe(200);
    expect(rowsOf(unaryFrames(reply.responses.A, 'json'))).toHaveLength(20);
    expect(reply.responses.B).toMatchObject({ status: 400, errorSource: 'plugin', format: pb.DataFrameFormat.JSON });
    expect(reply.responses.B.error).toMatch(/rows/);
  });

  test('a result past the datasource setting maxUnaryBytes fails that refId with 413, not the process', async () => {
    const settings = JSON.stringify({ maxUnaryBytes: 1024 * 1024 });
    const reply = await plugin().queryData(
      queryRequest([dataQuery('A', { rows: 10 }), dataQuery('BIG', { rows: 1_000_000 })], 'json', settings)
    );
    expect(reply.responses.A.status).toBe(200);
    expect(reply.responses.BIG).toMatchObject({ status: 413, frames: [] });
    expect(reply.responses.BIG.error).toMatch(/maxUnaryBytes/);
    // The same query streams fine through QueryChunkedData.
    const chunks = await chunked([dataQuery('BIG', { rows: 20_000 })], 'json', settings);
    expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(20_000);
  });
});
