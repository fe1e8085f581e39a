import { NdjsonQueryStream } from '../../src/datasource/ndjson-stream';

function collect() {
  const lines: Record<string, unknown>[] = [];
  const stream = new NdjsonQueryStream(async (line) => {
    const text = Buffer.from(line).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    lines.push(JSON.parse(text));
  });
  return { lines, stream };
}

const frame = (rows: number) => Buffer.from(`{"data":{"values":[[${Array(rows).fill(1).join(',')}]]}}`);

describe('NdjsonQueryStream', () => {
  it('splices frame JSON into frame lines and reports progress with the announced total', async () => {
    const { lines, stream } = collect();
    stream.expectRows('A', 10);
    await stream.send({ refId: 'A', frameId: 'f', frame: frame(4), rows: 4, status: 200 });
    await stream.send({ refId: 'A', frameId: 'f', frame: frame(6), rows: 6, status: 200 });
    stream.frameClosed('A');
    await stream.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({ type: 'progress', refId: 'A', rows: 0, total: 10, chunks: 0 });
    expect(lines[1]).toMatchObject({
      type: 'frame',
      refId: 'A',
      frameId: 'f',
      rows: 4,
      frame: { data: { values: [[1, 1, 1, 1]] } },
    });
    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress[progress.length - 1]).toMatchObject({ rows: 10, chunks: 2, total: 10 });
    expect(lines.find((l) => l.type === 'end')).toMatchObject({ chunks: 2, rows: 10 });
  });

  it('adds a query’s own progress (series, samples) to its progress lines, at most every 250 ms', async () => {
    const { lines, stream } = collect();
    stream.reportProgress('A', { seriesDone: 0, seriesTotal: 3, samplesScanned: 120 });
    // Within the interval: kept for the next line rather than sent.
    stream.reportProgress('A', { seriesDone: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ type: 'progress', seriesDone: 0, seriesTotal: 3, samplesScanned: 120 }),
    ]);
    await stream.send({ refId: 'A', frameId: 'series-0', frame: frame(2), rows: 2, status: 200 });
    stream.frameClosed('A');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[lines.length - 1]).toMatchObject({
      type: 'progress',
      refId: 'A',
      rows: 2,
      seriesDone: 1,
      seriesTotal: 3,
      samplesScanned: 120,
    });
  });

  it('writes per-query errors and a request-wide failure without refId', async () => {
    const { lines, stream } = collect();
    await stream.send({ refId: 'B', frameId: '', rows: 0, status: 400, error: 'bad "rows"', errorSource: 'plugin' });
    await stream.fail('the store went away');
    expect(lines).toEqual([
      { type: 'error', refId: 'B', status: 400, error: 'bad "rows"', errorSource: 'plugin' },
      { type: 'error', status: 500, error: 'the store went away', errorSource: 'plugin' },
    ]);
  });
});
