/**
 * Flow control and cancellation against the real backend process, observed through its own
 * Diagnostics.CollectMetrics: a reader that stops reading stops the producer (bounded memory), and a
 * cancelled call stops being in flight within 1 s.
 */
import type { ClientReadableStream } from '@grpc/grpc-js';
import * as pb from '../../src/generated/pluginv2/backend';
import { dataQuery, GrpcStatus, queryRequest } from '../helpers/grpc';
import { counter, sample } from '../helpers/metrics';
import { sleep, waitUntil } from '../helpers/wait';
import { useSharedPlugin } from '../helpers/shared-plugin';

jest.setTimeout(30_000);

const TEN_MILLION = 10_000_000;
const CHUNKED = { method: 'QueryChunkedData' };

const plugin = useSharedPlugin();

async function inFlight(): Promise<number> {
  return counter(await plugin().collectMetrics(), 'sluice_queries_in_flight', CHUNKED);
}

async function rowsSent(): Promise<number> {
  return counter(await plugin().collectMetrics(), 'sluice_rows_sent_total', CHUNKED);
}

async function rss(): Promise<number> {
  const value = sample(await plugin().collectMetrics(), 'process_resident_memory_bytes');
  expect(value).toBeGreaterThan(0);
  return value!;
}

/** Starts a 10M-row chunked query; resolves with the call after its first chunk (and the stream's end). */
async function startHugeQuery(
  format: 'json' | 'arrow',
  pauseAfterFirst: boolean
): Promise<{
  call: ClientReadableStream<pb.QueryChunkedDataResponse>;
  received: () => number;
  ended: Promise<number>;
}> {
  const call = plugin().data.queryChunkedData(queryRequest([dataQuery('A', { rows: TEN_MILLION })], format));
  let received = 0;
  const ended = new Promise<number>((resolve) => {
    call.on('error', (error: { code: number }) => resolve(error.code));
    call.on('status', (status) => resolve(status.code));
  });
  await new Promise<void>((resolve) =>
    call.on('data', () => {
      received++;
      if (received === 1) {
        if (pauseAfterFirst) {
          call.pause();
        }
        resolve();
      }
    })
  );
  return { call, received: () => received, ended };
}

test('a client that stops reading stops the producer: far fewer than 10M rows made, RSS bounded', async () => {
  const rowsBefore = await rowsSent();
  const rssBefore = await rss();
  const { call, received, ended } = await startHugeQuery('json', true);
  await sleep(1_500);
  const produced = (await rowsSent()) - rowsBefore;
  const rssGrowth = (await rss()) - rssBefore;
  expect(await inFlight()).toBe(1);

  // Only what fits into HTTP/2 flow-control windows and grpc-js buffers (~30k rows measured). A
  // reader that keeps reading gets ~1.6M rows in the same 1.5 s on a 2-core machine, so the bound
  // is well below that, and far below the 10M a producer ignoring backpressure would race towards.
  expect(produced).toBeGreaterThan(0);
  expect(produced).toBeLessThan(500_000);
  // 10M rows of frame JSON would be ~500 MB; a paused reader must not make the backend hold them.
  expect(rssGrowth).toBeLessThan(80 * 1024 * 1024);
  // Nothing more is produced while the reader stays paused.
  await sleep(500);
  expect((await rowsSent()) - rowsBefore).toBeLessThanOrEqual(produced + 20_000);
  expect(received()).toBeLessThan(100);

  const cancelledAt = Date.now();
  call.cancel();
  expect(await ended).toBe(GrpcStatus.CANCELLED);
  expect(await waitUntil(async () => (await inFlight()) === 0, 1_000, 20)).toBe(true);
  expect(Date.now() - cancelledAt).toBeLessThan(1_500);
});

test.each(['json', 'arrow'] as const)(
  '%s: cancelling a 10M-row call after its first chunk brings in-flight back to 0 within 1 s',
  async (format) => {
    const rowsBefore = await rowsSent();
    const { call, ended } = await startHugeQuery(format, false);
    expect(await inFlight()).toBe(1);
    const cancelledAt = Date.now();
    call.cancel();
    expect(await ended).toBe(GrpcStatus.CANCELLED);
    expect(await waitUntil(async () => (await inFlight()) === 0, 1_000, 20)).toBe(true);
    expect(Date.now() - cancelledAt).toBeLessThan(1_500);
    // The work really stopped: the row counter no longer moves.
    const afterCancel = await rowsSent();
    await sleep(300);
    expect(await rowsSent()).toBe(afterCancel);
    expect(afterCancel - rowsBefore).toBeLessThan(TEN_MILLION);
    // And the outcome is counted as cancelled.
    const text = await plugin().collectMetrics();
    expect(counter(text, 'sluice_queries_total', { method: 'QueryChunkedData', outcome: 'cancelled' })).toBeGreaterThan(
      0
    );
  }
);
