import { AccumulatingChunkedDataWriter } from '../../src/runtime/chunked/accumulating';
import type { Chunk, ChunkSink } from '../../src/runtime/chunked/chunk';
import { DEFAULT_CHUNKING } from '../../src/runtime/chunked/options';
import { StreamingChunkedDataWriter } from '../../src/runtime/chunked/streaming';
import type { FrameSpec } from '../../src/runtime/chunked/writer';
import { QueryError } from '../../src/runtime/errors';
import { decodeArrowFile, decodeFrameJSON } from '../../src/runtime/frames';

const SPEC: FrameSpec = {
  name: 'numbers',
  meta: { type: 'table', typeVersion: [0, 0] },
  fields: [
    { name: 'n', type: 'int32', nullable: false },
    { name: 'label', type: 'string', nullable: true },
  ],
};

/** A sink that records chunks; `gate` lets a test hold the writer as a slow reader would. */
class RecordingSink implements ChunkSink {
  readonly chunks: Chunk[] = [];
  gate?: Promise<void>;
  send(chunk: Chunk): Promise<void> | undefined {
    this.chunks.push(chunk);
    return this.gate;
  }
  text(i: number): string {
    return Buffer.from(this.chunks[i].frame!).toString('utf8');
  }
}

function streaming(
  sink: ChunkSink,
  format: 'arrow' | 'json' = 'json',
  options = {},
  signal = new AbortController().signal
) {
  return new StreamingChunkedDataWriter(format, sink, { ...DEFAULT_CHUNKING, ...options }, signal);
}

async function writeRows(frame: ReturnType<StreamingChunkedDataWriter['openFrame']>, count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    const sent = frame.appendRow([i, i % 2 ? null : `row ${i}`]);
    if (sent) {
      await sent;
    }
  }
}

describe('StreamingChunkedDataWriter', () => {
  it('sends a chunk every chunkRows rows, schema only in the first JSON chunk', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 100 });
    const frame = writer.openFrame('A', 'f1', SPEC);
    await writeRows(frame, 250);
    expect(sink.chunks.map((c) => c.rows)).toEqual([100, 100]);
    await writer.close();
    expect(sink.chunks.map((c) => c.rows)).toEqual([100, 100, 50]);
    expect(sink.chunks.every((c) => c.refId === 'A' && c.frameId === 'f1' && c.status === 200)).toBe(true);
    const first = JSON.parse(sink.text(0));
    expect(Object.keys(first)).toEqual(['schema', 'data']);
    expect(first.schema.meta.type).toBe('table');
    expect(first.data.values[0][0]).toBe(0);
    const later = JSON.parse(sink.text(2));
    expect(Object.keys(later)).toEqual(['data']);
    expect(later.data.values[0]).toEqual(Array.from({ length: 50 }, (_, i) => 200 + i));
    expect(later.data.values[1][0]).toBe('row 200');
    expect(later.data.values[1][1]).toBeNull();
  });

  it('sends complete Arrow files with the schema in every chunk', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'arrow', { chunkRows: 10 });
    await writeRows(writer.openFrame('A', 'f1', SPEC), 15);
    await writer.close();
    expect(sink.chunks).toHaveLength(2);
    const second = decodeArrowFile(sink.chunks[1].frame!);
    expect(second.length).toBe(5);
    expect(second.schema.refId).toBe('A');
    expect(second.schema.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ['n', 'int32', false],
      ['label', 'string', true],
    ]);
    expect(second.get(0, 0)).toBe(10);
  });

  it('sends a schema-only chunk for a frame that got no rows', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink);
    writer.openFrame('A', 'empty', SPEC);
    await writer.close();
    expect(sink.chunks).toHaveLength(1);
    const frame = decodeFrameJSON(sink.text(0));
    expect(frame.length).toBe(0);
    expect(frame.schema.fields).toHaveLength(2);
  });

  it('keeps frames apart by frameId and refuses to reopen one', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 5 });
    const a = writer.openFrame('A', 'one', SPEC);
    const b = writer.openFrame('A', 'two', SPEC);
    await writeRows(a, 5);
    await writeRows(b, 3);
    await writer.close();
    expect(sink.chunks.map((c) => `${c.frameId}:${c.rows}`)).toEqual(['one:5', 'two:3']);
    expect(() => writer.openFrame('A', 'one', SPEC)).toThrow(/already opened/);
  });

  it('lets go of closed frames, so a query streaming many frames holds one at a time', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json');
    const held = () => [...(writer as unknown as { frames: { values(): Iterable<unknown> } }).frames.values()].length;
    for (let i = 0; i < 100; i++) {
      const frame = writer.openFrame('A', `series-${i}`, SPEC);
      await writeRows(frame, 3);
      await frame.close();
      expect(held()).toBe(0);
    }
    expect(sink.chunks).toHaveLength(100);
    expect(() => writer.openFrame('A', 'series-7', SPEC)).toThrow(/already opened/);
  });

  it('cuts a chunk early when its encoded size would pass maxChunkBytes', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 1000, maxChunkBytes: 4096 });
    const frame = writer.openFrame('A', 'wide', {
      fields: [{ name: 'text', type: 'string', nullable: false }],
    });
    for (let i = 0; i < 100; i++) {
      const sent = frame.appendRow(['x'.repeat(200)]);
      if (sent) {
        await sent;
      }
    }
    await writer.close();
    expect(sink.chunks.length).toBeGreaterThan(4);
    for (const chunk of sink.chunks) {
      expect(chunk.frame!.byteLength).toBeLessThan(4096 + 400);
    }
    expect(sink.chunks.reduce((n, c) => n + c.rows, 0)).toBe(100);
  });

  it('keeps the byte bound for column batches too', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 1000, maxChunkBytes: 4096 });
    const frame = writer.openFrame('A', 'wide', { fields: [{ name: 'text', type: 'string', nullable: false }] });
    await frame.appendColumns([Array.from({ length: 500 }, (_, i) => `${i}:` + 'x'.repeat(200))]);
    await writer.close();
    expect(sink.chunks.reduce((n, c) => n + c.rows, 0)).toBe(500);
    expect(sink.chunks.length).toBeGreaterThan(20);
    for (const chunk of sink.chunks) {
      expect(chunk.frame!.byteLength).toBeLessThan(4096 + 400);
    }
    expect(JSON.parse(sink.text(1)).data.values[0][0]).toMatch(/^\d+:x+$/);
  });

  it('flushes pending rows after flushIntervalMs when the handler is idle', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { flushIntervalMs: 50 });
    await writeRows(writer.openFrame('A', 'slow', SPEC), 3);
    expect(sink.chunks).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.chunks.map((c) => c.rows)).toEqual([3]);
    await writer.close();
    expect(sink.chunks).toHaveLength(1);
  });

  it('makes the handler wait while the sink pushes back', async () => {
    const sink = new RecordingSink();
    let release!: () => void;
    sink.gate = new Promise((resolve) => (release = resolve));
    const writer = streaming(sink, 'json', { chunkRows: 10 });
    const frame = writer.openFrame('A', 'f', SPEC);
    const done = writeRows(frame, 100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(frame.rowsWritten).toBe(10);
    expect(sink.chunks).toHaveLength(1);
    sink.gate = undefined;
    release();
    await done;
    expect(frame.rowsWritten).toBe(100);
  });

  it('rejects with an AbortError once the call is cancelled', async () => {
    const controller = new AbortController();
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 10 }, controller.signal);
    const frame = writer.openFrame('A', 'f', SPEC);
    await writeRows(frame, 10);
    controller.abort();
    await expect(writeRows(frame, 10, 10)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends errors per refId: an empty frame in Arrow, none in JSON', async () => {
    const sink = new RecordingSink();
    await streaming(sink, 'arrow').writeError('B', { status: 400, message: 'bad', source: 'plugin' });
    await streaming(sink, 'json').writeError('C', { status: 502, message: 'upstream', source: 'downstream' });
    expect(sink.chunks[0]).toMatchObject({ refId: 'B', status: 400, error: 'bad', errorSource: 'plugin' });
    expect(decodeArrowFile(sink.chunks[0].frame!).schema.fields).toHaveLength(0);
    expect(sink.chunks[1]).toMatchObject({ refId: 'C', status: 502, error: 'upstream', errorSource: 'downstream' });
    expect(sink.chunks[1].frame).toBeUndefined();
  });

  it('appends column batches and keeps chunk boundaries', async () => {
    const sink = new RecordingSink();
    const writer = streaming(sink, 'json', { chunkRows: 4 });
    const frame = writer.openFrame('A', 'cols', SPEC);
    await frame.appendColumns([Int32Array.from([1, 2, 3, 4, 5, 6]), ['a', 'b', null, 'd', 'e', 'f']]);
    await frame.appendColumns([
      [7, 8, 9],
      ['g', 'h', 'i'],
    ]);
    await writer.close();
    expect(sink.chunks.map((c) => c.rows)).toEqual([4, 4, 1]);
    expect(JSON.parse(sink.text(1)).data.values[0]).toEqual([5, 6, 7, 8]);
  });
});

describe('AccumulatingChunkedDataWriter', () => {
  it('holds every row and answers per refId, errors included', async () => {
    const writer = new AccumulatingChunkedDataWriter(
      'json',
      { ...DEFAULT_CHUNKING, chunkRows: 7 },
      new AbortController().signal,
      1 << 30
    );
    const frame = writer.openFrame('A', 'f', SPEC);
    for (let i = 0; i < 50; i++) {
      const pause = frame.appendRow([i, null]);
      if (pause) {
        await pause;
      }
    }
    await frame.close();
    await writer.writeError('B', { status: 400, message: 'nope', source: 'plugin' });
    const responses = writer.responses();
    expect(responses.get('A')!.frames[0].length).toBe(50);
    expect(responses.get('A')!.error).toBeUndefined();
    expect(responses.get('B')).toEqual({ frames: [], error: { status: 400, message: 'nope', source: 'plugin' } });
  });

  it('fails a query with 413 past maxUnaryBytes and drops what it held', async () => {
    const writer = new AccumulatingChunkedDataWriter(
      'json',
      { ...DEFAULT_CHUNKING, chunkRows: 100 },
      new AbortController().signal,
      1024 * 1024
    );
    const frame = writer.openFrame('A', 'big', { fields: [{ name: 's', type: 'string', nullable: false }] });
    const long = 'y'.repeat(1000);
    let failure: unknown;
    try {
      for (let i = 0; i < 10_000; i++) {
        const pause = frame.appendRow([long]);
        if (pause) {
          await pause;
        }
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(QueryError);
    expect((failure as QueryError).status).toBe(413);
    expect((failure as QueryError).message).toMatch(/maxUnaryBytes/);
    expect(writer.responses().get('A')?.frames).toEqual([]);
  });
});
