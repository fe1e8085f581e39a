/**
 * Diagnostics through the real backend process: CheckHealth validates the datasource settings, and
 * CollectMetrics exposes Prometheus text whose counters follow the queries served.
 */
import { DataFrameFormat, CheckHealthResponse_HealthStatus as Health } from '../../src/generated/pluginv2/backend';
import { dataQuery, queryRequest } from '../helpers/grpc';
import { counter, sample } from '../helpers/metrics';
import { useSharedPlugin } from '../helpers/shared-plugin';

jest.setTimeout(30_000);

const plugin = useSharedPlugin();

describe('CheckHealth', () => {
  test.each(['', '{}', '{"chunkRows":500,"maxChunkBytes":"65536"}'])(
    'valid settings %j: OK with a message',
    async (jsonData) => {
      const reply = await plugin().checkHealth(jsonData);
      expect(reply.status).toBe(Health.OK);
      expect(reply.message.length).toBeGreaterThan(10);
      const details = JSON.parse(reply.jsonDetails.toString('utf8')) as { settings: { chunkRows: number } };
      expect(details.settings.chunkRows).toBe(jsonData.includes('500') ? 500 : 1000);
      expect(reply.message).toContain(String(details.settings.chunkRows));
    }
  );

  test('jsonData {"chunkRows": -1}: ERROR naming the setting', async () => {
    const reply = await plugin().checkHealth('{"chunkRows": -1}');
    expect(reply.status).toBe(Health.ERROR);
    expect(reply.message).toContain('chunkRows');
    expect(reply.message).toContain('-1');
  });

  test('jsonData that is not JSON: ERROR saying so', async () => {
    const reply = await plugin().checkHealth('{"chunkRows": 5');
    expect(reply.status).toBe(Health.ERROR);
    expect(reply.message).toMatch(/jsonData.*not valid JSON/);
  });
});

describe('CollectMetrics', () => {
  test('Prometheus text with the Sluice metrics and the standard process metrics', async () => {
    const text = await plugin().collectMetrics();
    for (const [name, type] of [
      ['sluice_queries_in_flight', 'gauge'],
      ['sluice_chunks_sent_total', 'counter'],
      ['sluice_rows_sent_total', 'counter'],
      ['sluice_bytes_sent_total', 'counter'],
      ['sluice_query_errors_total', 'counter'],
      ['sluice_query_duration_seconds', 'histogram'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['process_start_time_seconds', 'gauge'],
      ['nodejs_heap_size_used_bytes', 'gauge'],
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
    }
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
  });

  test('counters move with the queries served', async () => {
    const before = await plugin().collectMetrics();
    const chunked = await plugin().queryChunked(queryRequest([dataQuery('A', { rows: 2500 })], 'json'));
    expect(chunked.error).toBeUndefined();
    const chunkBytes = chunked.messages.reduce((sum, m) => sum + m.message.frame.length, 0);
    const failed = await plugin().queryChunked(queryRequest([dataQuery('E', { rows: -1 })], 'json'));
    expect(failed.messages.map((m) => m.message.status)).toEqual([400]);
    const unary = await plugin().queryData(queryRequest([dataQuery('U', { rows: 10 })], 'arrow'));
    expect(unary.responses.U.format).toBe(DataFrameFormat.ARROW);
    const unaryBytes = unary.responses.U.frames.reduce((sum, f) => sum + f.length, 0);
    const after = await plugin().collectMetrics();

    const delta = (name: string, labels: Record<string, string>) =>
      counter(after, name, labels) - counter(before, name, labels);
    const chunkedJson = { method: 'QueryChunkedData', format: 'json' };
    expect(delta('sluice_chunks_sent_total', { format: 'json' })).toBe(4); // 3 data chunks + 1 error chunk
    expect(delta('sluice_rows_sent_total', chunkedJson)).toBe(2500);
    expect(delta('sluice_bytes_sent_total', chunkedJson)).toBe(chunkBytes);
    expect(delta('sluice_rows_sent_total', { method: 'QueryData', format: 'arrow' })).toBe(10);
    expect(delta('sluice_bytes_sent_total', { method: 'QueryData', format: 'arrow' })).toBe(unaryBytes);
    expect(delta('sluice_query_errors_total', { status: '400', source: 'plugin' })).toBe(1);
    expect(delta('sluice_query_duration_seconds_count', { method: 'QueryChunkedData' })).toBe(2);
    expect(delta('sluice_query_duration_seconds_count', { method: 'QueryData' })).toBe(1);
    expect(delta('sluice_queries_total', { method: 'QueryChunkedData', outcome: 'ok' })).toBe(2);
    expect(counter(after, 'sluice_queries_in_flight', { method: 'QueryChunkedData' })).toBe(0);
  });
});
