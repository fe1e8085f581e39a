/**
 * flushIntervalMs: rows a slow handler has written reach the client after about that long, not only
 * when a chunk is full or the handler returns. In-process server, so client and handler share a clock.
 */
import * as pb from '../../src/generated/pluginv2/backend';
import { DEFAULT_CHUNKING } from '../../src/runtime/chunked/options';
import type { ChunkedDataWriter } from '../../src/runtime/chunked/writer';
import type { CallContext, QueryChunkedDataHandler, QueryDataRequest } from '../../src/runtime/handlers';
import { decodeChunks } from '../helpers/frames';
import { dataQuery, queryRequest } from '../helpers/grpc';
import { InProcess, startInProcess } from '../helpers/in-process';

jest.setTimeout(20_000);

const PAUSE_MS = 2_000;

/** Writes 3 rows, then keeps the call open for 2 s without writing or returning. */
class SlowHandler implements QueryChunkedDataHandler {
  finishedAt = 0;

  async queryChunkedData(request: QueryDataRequest, writer: ChunkedDataWriter, ctx: CallContext): Promise<void> {
    const frame = writer.openFrame(request.queries[0].refId, 'slow', {
      fields: [
        { name: 'n', type: 'int32', nullable: false },
        { name: 'text', type: 'string', nullable: false },
      ],
    });
    for (let i = 0; i < 3; i++) {
      await frame.appendRow([i, `row ${i}`]);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, PAUSE_MS);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    this.finishedAt = performance.now();
  }
}

let plugin: InProcess | undefined;

afterEach(async () => {
  await plugin?.stop();
  plugin = undefined;
});

test.each(['json', 'arrow'] as const)(
  '%s: with the default flushIntervalMs (250 ms) 3 pending rows arrive long before the handler finishes',
  async (format) => {
    expect(DEFAULT_CHUNKING.flushIntervalMs).toBe(250);
    const handler = new SlowHandler();
    plugin = await startInProcess(handler);
    const result = await plugin.clients.queryChunked(queryRequest([dataQuery('A', {})], format));
    expect(result.error).toBeUndefined();
    const chunks = decodeChunks(result.messages.map((m) => m.message));
    expect(chunks.map((c) => [c.refId, c.frameId, c.status, c.rows])).toEqual([['A', 'slow', 200, 3]]);
    expect(chunks[0].format).toBe(format === 'json' ? pb.DataFrameFormat.JSON : pb.DataFrameFormat.ARROW);
    expect(chunks[0].frame!.getRow(2)).toEqual([2, 'row 2']);
    const first = result.messages[0].at;
    expect(handler.finishedAt).toBeGreaterThan(0);
    // Flushed at ~250-375 ms into a 2 s pause: generous bounds for a loaded machine.
    expect(first - result.startedAt).toBeLessThan(1_500);
    expect(handler.finishedAt - first).toBeGreaterThan(1_000);
  }
);

test('with a long flushIntervalMs the same rows wait for the handler to return', async () => {
  const handler = new SlowHandler();
  plugin = await startInProcess(handler, () => ({ ...DEFAULT_CHUNKING, flushIntervalMs: 10_000 }));
  const result = await plugin.clients.queryChunked(queryRequest([dataQuery('A', {})], 'json'));
  expect(result.error).toBeUndefined();
  expect(result.messages).toHaveLength(1);
  expect(result.messages[0].at).toBeGreaterThanOrEqual(handler.finishedAt);
});
