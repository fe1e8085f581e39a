/**
 * A plugin whose handler implements only QueryData (built here with the runtime's startServer):
 * QueryChunkedData ends with UNIMPLEMENTED and no messages, so hosts fall back to QueryData, and the
 * sluice CLI does exactly that.
 */
import { Frame } from '../../src/runtime/frames';
import type { QueryDataHandler, QueryDataRequest, QueryDataResponse } from '../../src/runtime/handlers';
import { requireDist } from '../helpers/dist';
import { dataQuery, FROM_MS, GrpcStatus, queryRequest } from '../helpers/grpc';
import { InProcess, startInProcess } from '../helpers/in-process';
import { killAll, spawnTracked } from '../helpers/process';

jest.setTimeout(30_000);

/** Answers every query with `rows` rows of (time, value, label) built with the frames API. */
class QueryDataOnly implements QueryDataHandler {
  calls = 0;

  async queryData(request: QueryDataRequest): Promise<QueryDataResponse> {
    this.calls++;
    const responses: QueryDataResponse = new Map();
    for (const query of request.queries) {
      const { rows } = JSON.parse(Buffer.from(query.json).toString('utf8')) as { rows: number };
      const frame = new Frame({
        name: 'unary',
        refId: query.refId,
        fields: [
          { name: 'time', type: 'time', nullable: false },
          { name: 'value', type: 'float64', nullable: false },
          { name: 'label', type: 'string', nullable: false },
        ],
      });
      for (let i = 0; i < rows; i++) {
        frame.appendRow([query.timeRange.from + i * 1000, i / 2, `row-${i}`]);
      }
      responses.set(query.refId, { frames: [frame] });
    }
    return responses;
  }
}

let handler: QueryDataOnly;
let plugin: InProcess;

beforeEach(async () => {
  handler = new QueryDataOnly();
  plugin = await startInProcess(handler);
});

afterEach(async () => {
  await plugin.stop();
  await killAll();
});

test.each(['json', 'arrow'] as const)(
  '%s: QueryChunkedData is answered with gRPC UNIMPLEMENTED and zero messages',
  async (format) => {
    const result = await plugin.clients.queryChunked(queryRequest([dataQuery('A', { rows: 5 })], format));
    expect(result.error?.code).toBe(GrpcStatus.UNIMPLEMENTED);
    expect(result.messages).toHaveLength(0);
    expect(handler.calls).toBe(0);
    // The unary path of the same server works.
    const reply = await plugin.clients.queryData(queryRequest([dataQuery('A', { rows: 5 })], format));
    expect(reply.responses.A.status).toBe(200);
    expect(reply.responses.A.frames).toHaveLength(1);
  }
);

test('the CLI falls back to QueryData and still prints all 50 rows as CSV', async () => {
  const { cliJs } = requireDist();
  const cli = spawnTracked(
    process.execPath,
    [
      cliJs,
      'query',
      '--connect',
      plugin.server.address,
      '--model',
      '{"rows":50}',
      '--output',
      'csv',
      '--quiet',
      '--from',
      String(FROM_MS),
    ],
    {}
  );
  const exit = await cli.exited;
  expect({ code: exit.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = cli.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('time,value,label');
  expect(lines).toHaveLength(51);
  expect(lines[1]).toBe(`${new Date(FROM_MS).toISOString()},0,row-0`);
  expect(lines[50]).toBe(`${new Date(FROM_MS + 49_000).toISOString()},24.5,row-49`);
  expect(handler.calls).toBe(1);
});
