/**
 * The promql handlers against a scripted engine: frame shapes (data-plane timeseries-multi and
 * numeric-multi), legends, annotations, progress and error statuses, independent of the engine's
 * own correctness (the integration test runs the real one).
 */
import { AccumulatingChunkedDataWriter } from '../../src/runtime/chunked/accumulating';
import type { Chunk, ChunkSink } from '../../src/runtime/chunked/chunk';
import { DEFAULT_CHUNKING } from '../../src/runtime/chunked/options';
import { StreamingChunkedDataWriter } from '../../src/runtime/chunked/streaming';
import type { QueryProgressReport } from '../../src/runtime/chunked/writer';
import { QueryError } from '../../src/runtime/errors';
import type { Frame } from '../../src/runtime/frames';
import type { DataQuery } from '../../src/runtime/handlers';
import { runPromQL, type PromQLRun } from '../../src/datasource/promql';
import { parsePromQLQuery } from '../../src/datasource/promql-query';
import { DEFAULT_SETTINGS } from '../../src/datasource/settings';

// The handlers only need the engine's error class; the engine itself is scripted below.
jest.mock('../../src/engine', () => {
  class QueryError extends Error {
    constructor(
      readonly type: string,
      message: string
    ) {
      super(message);
      this.name = 'QueryError';
    }
  }
  return { QueryError };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { QueryError: EngineError } = require('../../src/engine') as {
  QueryError: new (type: string, message: string) => Error;
};

// A multiple of the 15 s step, so the aligned range is the range.
const FROM = 1_700_000_010_000;
const labels = (record: Record<string, string>) =>
  Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => ({ name, value }));

function dataQuery(queryType: string): DataQuery {
  return {
    refId: 'A',
    queryType,
    maxDataPoints: 1000,
    intervalMs: 15_000,
    timeRange: { from: FROM, to: FROM + 60_000 },
    json: new Uint8Array(),
  };
}

type Engine = PromQLRun['engine'];

function rangeEngine(series: { labels: Record<string, string>; values: number[] }[], onYield?: (i: number) => void) {
  const calls: unknown[][] = [];
  const engine = {
    async streamRangeQuery(...args: unknown[]) {
      calls.push(args);
      const [, start, , step, opts] = args as [string, number, number, number, { onProgress?: (p: unknown) => void }];
      async function* iterate() {
        for (let i = 0; i < series.length; i++) {
          onYield?.(i);
          yield {
            labels: labels(series[i].labels),
            timestamps: series[i].values.map((_, j) => start + j * step),
            values: series[i].values,
          };
          opts.onProgress?.({ seriesDone: i + 1, seriesTotal: series.length, samplesScanned: 10 * (i + 1) });
        }
      }
      return { series: iterate(), annotations: () => ({ warnings: ['PromQL warning: careful'], infos: [] }) };
    },
  } as unknown as Engine;
  return { engine, calls };
}

async function accumulate(queryType: string, model: Record<string, unknown>, engine: Engine): Promise<Frame[]> {
  const signal = new AbortController().signal;
  const writer = new AccumulatingChunkedDataWriter('json', DEFAULT_CHUNKING, signal, 1 << 30);
  const promql = parsePromQLQuery({ queryType, ...model });
  await runPromQL(dataQuery(queryType), promql, { engine, settings: DEFAULT_SETTINGS, writer, signal });
  return writer.responses().get('A')?.frames ?? [];
}

describe('promql (range)', () => {
  it('answers one timeseries-multi frame per series: Time and Value with labels and the legend', async () => {
    const { engine, calls } = rangeEngine([
      { labels: { __name__: 'up', instance: 'a' }, values: [1, 2, 3] },
      { labels: { __name__: 'up', instance: 'b' }, values: [4, 5] },
    ]);
    const frames = await accumulate('promql', { expr: 'up', legendFormat: 'host {{instance}}' }, engine);
    expect(calls).toEqual([['up', FROM, FROM + 60_000, 15_000, expect.objectContaining({ lookbackDeltaMs: 300_000 })]]);
    expect(frames).toHaveLength(2);
    const [first, second] = frames;
    expect(first.schema.meta).toEqual({
      type: 'timeseries-multi',
      typeVersion: [0, 1],
      executedQueryString: 'Expr: up\nStep: 15s',
    });
    expect(first.schema.fields).toEqual([
      { name: 'Time', type: 'time', nullable: false, config: { interval: 15_000 } },
      {
        name: 'Value',
        type: 'float64',
        nullable: false,
        labels: { __name__: 'up', instance: 'a' },
        config: { displayNameFromDS: 'host a' },
      },
    ]);
    expect([0, 1, 2].map((i) => first.getRow(i))).toEqual([
      [FROM, 1],
      [FROM + 15_000, 2],
      [FROM + 30_000, 3],
    ]);
    // The annotations arrive after the last series and go on its frame.
    expect(second.schema.meta).toEqual({
      type: 'timeseries-multi',
      typeVersion: [0, 1],
      notices: [{ severity: 'warning', text: 'PromQL warning: careful' }],
    });
    expect(second.schema.fields[1].config).toEqual({ displayNameFromDS: 'host b' });
  });

  it('answers "no data" as one typed frame without fields', async () => {
    const frames = await accumulate('promql', { expr: 'nothing' }, rangeEngine([]).engine);
    expect(frames).toHaveLength(1);
    expect(frames[0].schema.fields).toEqual([]);
    expect(frames[0].schema.meta).toMatchObject({
      type: 'timeseries-multi',
      executedQueryString: 'Expr: nothing\nStep: 15s',
    });
  });

  it('sends each series while later ones are still being computed, with progress', async () => {
    const chunks: Chunk[] = [];
    const progress: QueryProgressReport[] = [];
    const sink: ChunkSink = {
      send: (chunk) => void chunks.push(chunk),
      reportProgress: (_refId, p) => void progress.push(p),
    };
    const sentBeforeYield: string[][] = [];
    const { engine } = rangeEngine(
      [0, 1, 2].map((i) => ({ labels: { i: String(i) }, values: [i] })),
      () => sentBeforeYield.push(chunks.map((c) => c.frameId))
    );
    const signal = new AbortController().signal;
    const writer = new StreamingChunkedDataWriter('json', sink, DEFAULT_CHUNKING, signal);
    const promql = parsePromQLQuery({ queryType: 'promql', expr: 'x' });
    await runPromQL(dataQuery('promql'), promql, { engine, settings: DEFAULT_SETTINGS, writer, signal });
    await writer.close();
    // The first series' frame is out before the engine produces the third.
    expect(sentBeforeYield[2]).toEqual(['series-0']);
    expect(chunks.map((c) => c.frameId)).toEqual(['series-0', 'series-1', 'series-2']);
    expect(progress[progress.length - 1]).toEqual({ seriesDone: 3, seriesTotal: 3, samplesScanned: 30 });
  });

  it.each([
    ['bad_data', 400, /^1:5: parse error/],
    ['execution', 422, /too many samples.*queryMaxSamples is 50000000/],
    ['timeout', 504, /timed out.*queryTimeoutMs is 120000/],
    ['internal', 500, /boom/],
  ])('maps the engine’s %s error to status %d', async (type, status, message) => {
    const text = {
      bad_data: '1:5: parse error',
      execution: 'too many samples',
      timeout: 'timed out',
      internal: 'boom',
    };
    const engine = {
      streamRangeQuery: () => Promise.reject(new EngineError(type, text[type as keyof typeof text])),
    } as unknown as Engine;
    const error = await accumulate('promql', { expr: 'x' }, engine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).status).toBe(status);
    expect((error as QueryError).message).toMatch(message);
  });
});

describe('promql-instant', () => {
  const instant = (result: unknown, seen?: unknown[]) =>
    ({
      instantQuery: async (...args: unknown[]) => {
        seen?.push(args);
        return { warnings: [], infos: [], ...(result as object) };
      },
    }) as unknown as Engine;

  it('answers a vector as numeric-multi frames of one row, evaluated at the end of the range', async () => {
    const seen: unknown[] = [];
    const frames = await accumulate(
      'promql-instant',
      { expr: 'up', legendFormat: '{{job}}' },
      instant(
        {
          resultType: 'vector',
          samples: [
            { labels: labels({ __name__: 'up', job: 'api' }), t: FROM + 60_000, v: 1 },
            { labels: labels({ __name__: 'up', job: 'db' }), t: FROM + 60_000, v: 0 },
          ],
        },
        seen
      )
    );
    expect(seen).toEqual([['up', FROM + 60_000, expect.objectContaining({ lookbackDeltaMs: 300_000 })]]);
    expect(frames.map((f) => f.schema.meta?.type)).toEqual(['numeric-multi', 'numeric-multi']);
    expect(frames.map((f) => f.getRow(0))).toEqual([
      [FROM + 60_000, 1],
      [FROM + 60_000, 0],
    ]);
    expect(frames[1].schema.fields[1]).toMatchObject({
      labels: { __name__: 'up', job: 'db' },
      config: { displayNameFromDS: 'db' },
    });
  });

  it('answers a scalar as one frame named after the expression, and a string as a string field', async () => {
    const [scalar] = await accumulate(
      'promql-instant',
      { expr: '1 + 1' },
      instant({ resultType: 'scalar', t: 5, v: 2 })
    );
    expect(scalar.schema.fields[1]).toMatchObject({
      type: 'float64',
      labels: {},
      config: { displayNameFromDS: '1 + 1' },
    });
    expect(scalar.getRow(0)).toEqual([5, 2]);
    const [text] = await accumulate(
      'promql-instant',
      { expr: '"hi"' },
      instant({ resultType: 'string', t: 5, v: 'hi' })
    );
    expect(text.schema.fields.map((f) => f.type)).toEqual(['time', 'string']);
    expect(text.getRow(0)).toEqual([5, 'hi']);
  });
});
