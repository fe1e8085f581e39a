import { DataFrameJSON, FieldType } from '@grafana/data';

import { syntheticFrame } from '../testing/fixtures';
import { FrameAccumulator } from './frameAccumulator';

const NO_LIMITS = { maxFrames: 1000, maxRowsPerQuery: 10_000_000 };

describe('FrameAccumulator', () => {
  it('builds the frame from its first chunk and appends data-only chunks column by column', () => {
    const frames = new FrameAccumulator(NO_LIMITS);
    expect(frames.add('A', 'f', syntheticFrame('A', 0, 3, true) as DataFrameJSON)).toEqual({ rows: 3, changed: ['A'] });
    const [before] = frames.snapshot('A');
    expect(frames.add('A', 'f', syntheticFrame('A', 3, 2, false) as DataFrameJSON)).toEqual({
      rows: 2,
      changed: ['A'],
    });
    const [after] = frames.snapshot('A');

    expect(after.length).toBe(5);
    expect(after.name).toBe('synthetic');
    expect(after.refId).toBe('A');
    expect(after.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', FieldType.time],
      ['value', FieldType.number],
      ['series', FieldType.string],
    ]);
    expect(after.fields[1].values).toEqual([0, 0.5, 1, 1.5, 2]);
    // New snapshot objects (so Grafana sees a change), the same growing columns (so nothing is copied).
    expect(after).not.toBe(before);
    expect(after.fields[1]).not.toBe(before.fields[1]);
    expect(after.fields[1].values).toBe(before.fields[1].values);
  });

  it('restores NaN/Inf entities and nanos of later chunks at their shifted row positions', () => {
    const frames = new FrameAccumulator(NO_LIMITS);
    const schema = {
      fields: [
        { name: 'time', type: FieldType.time },
        { name: 'value', type: FieldType.number },
      ],
    };
    frames.add('A', 'f', {
      schema,
      data: {
        values: [
          [1000, 2000],
          [1, null],
        ],
        entities: [null, { NaN: [1] }],
      },
    });
    frames.add('A', 'f', {
      data: {
        values: [
          [3000, 4000],
          [null, null],
        ],
        entities: [null, { Inf: [0], NegInf: [1] }],
        nanos: [[5, 7], null],
      },
    });
    const [frame] = frames.snapshot('A');
    expect(frame.fields[1].values).toEqual([1, NaN, Infinity, -Infinity]);
    expect((frame.fields[1] as { entities?: unknown }).entities).toEqual({ NaN: [1], Inf: [2], NegInf: [3] });
    // Rows before the first chunk with nanos had no sub-millisecond part.
    expect(frame.fields[0].nanos).toEqual([0, 0, 5, 7]);
  });

  it('keeps frames of different ids and queries apart', () => {
    const frames = new FrameAccumulator(NO_LIMITS);
    frames.add('A', 'x', syntheticFrame('A', 0, 2, true) as DataFrameJSON);
    frames.add('A', 'y', syntheticFrame('A', 0, 3, true) as DataFrameJSON);
    frames.add('B', 'x', syntheticFrame('B', 0, 4, true) as DataFrameJSON);
    frames.add('A', 'x', syntheticFrame('A', 2, 1, false) as DataFrameJSON);
    expect(frames.snapshot('A').map((f) => f.length)).toEqual([3, 3]);
    expect(frames.snapshot('B').map((f) => [f.refId, f.length])).toEqual([['B', 4]]);
  });

  it('rejects a first chunk without schema and a data chunk with the wrong column count', () => {
    const frames = new FrameAccumulator(NO_LIMITS);
    expect(() => frames.add('A', 'f', syntheticFrame('A', 0, 2, false) as DataFrameJSON)).toThrow(/has no schema/);
    frames.add('A', 'f', syntheticFrame('A', 0, 2, true) as DataFrameJSON);
    expect(() => frames.add('A', 'f', { data: { values: [[1], [2]] } })).toThrow(/2 columns, its schema has 3/);
  });

  it('cuts rows past maxRowsPerQuery across frames, with a warning on the query', () => {
    const frames = new FrameAccumulator({ maxFrames: 1000, maxRowsPerQuery: 5 });
    frames.add('A', 'x', syntheticFrame('A', 0, 3, true) as DataFrameJSON);
    expect(frames.isCut('A')).toBe(false);
    expect(frames.add('A', 'y', syntheticFrame('A', 0, 4, true) as DataFrameJSON).rows).toBe(4);
    expect(frames.isCut('A')).toBe(true);
    frames.add('A', 'y', syntheticFrame('A', 4, 4, false) as DataFrameJSON);
    frames.add('A', 'z', syntheticFrame('A', 0, 4, true) as DataFrameJSON);
    const snapshot = frames.snapshot('A');
    expect(snapshot.map((f) => f.length)).toEqual([3, 2]);
    expect(snapshot[1].fields.map((f) => f.values.length)).toEqual([2, 2, 2]);
    expect(snapshot[0].meta?.notices).toEqual([
      expect.objectContaining({ severity: 'warning', text: expect.stringContaining('only the first 5 rows') }),
    ]);
    expect(frames.isCut('B')).toBe(false);
  });

  it('drops frames past maxFrames, counting them in a warning on the first frame', () => {
    const frames = new FrameAccumulator({ maxFrames: 1, maxRowsPerQuery: 100 });
    frames.add('A', 'x', syntheticFrame('A', 0, 1, true) as DataFrameJSON);
    expect(frames.add('B', 'y', syntheticFrame('B', 0, 1, true) as DataFrameJSON).changed).toEqual(['A']);
    frames.add('B', 'y', syntheticFrame('B', 1, 1, false) as DataFrameJSON);
    expect(frames.snapshot('B')).toEqual([]);
    expect(frames.snapshot('A')[0].meta?.notices?.[0].text).toMatch(/only the first 1 frames .* 1 more were dropped/);
  });

  it('adds stats and notices to the first frame only, keeping the frame’s own meta', () => {
    const frames = new FrameAccumulator(NO_LIMITS);
    const first = syntheticFrame('A', 0, 1, true) as DataFrameJSON;
    first.schema!.meta = { notices: [{ severity: 'info', text: 'from the backend' }] };
    frames.add('A', 'x', first);
    frames.add('A', 'y', syntheticFrame('A', 0, 1, true) as DataFrameJSON);
    const [a, b] = frames.snapshot('A', {
      stats: [{ displayName: 'Rows received', value: 2 }],
      notices: [{ severity: 'info', text: 'Streaming: 2 rows, 10 B' }],
    });
    expect(a.meta?.notices?.map((n) => n.text)).toEqual(['from the backend', 'Streaming: 2 rows, 10 B']);
    expect(a.meta?.stats).toEqual([{ displayName: 'Rows received', value: 2 }]);
    expect(b.meta).toBeUndefined();
  });
});
