import { QueryError } from '../../src/runtime/errors';
import type { DataQuery } from '../../src/runtime/handlers';
import { parseQueryModel } from '../../src/datasource/query';
import { DEFAULT_SETTINGS, parseSettings, SettingsError } from '../../src/datasource/settings';
import { parseSyntheticQuery, SyntheticRows } from '../../src/datasource/synthetic';

const json = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function query(model: unknown, queryType = ''): DataQuery {
  return {
    refId: 'A',
    queryType,
    maxDataPoints: 0,
    intervalMs: 0,
    timeRange: { from: 0, to: 0 },
    json: json(model),
  };
}

describe('datasource settings', () => {
  it('defaults everything, accepts numbers given as text', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(json({ chunkRows: '500', flushIntervalMs: 100 }))).toMatchObject({
      chunkRows: 500,
      flushIntervalMs: 100,
      maxChunkBytes: DEFAULT_SETTINGS.maxChunkBytes,
    });
  });

  it.each([
    [{ chunkRows: -1 }, /chunkRows must be an integer between 1 and 1000000, got -1/],
    [{ maxChunkBytes: 12.5 }, /maxChunkBytes must be an integer/],
    [{ flushIntervalMs: 'soon' }, /flushIntervalMs must be an integer/],
    ['{"chunkRows":', /jsonData is not valid JSON/],
    ['[1]', /jsonData must be a JSON object/],
  ])('rejects %j naming the problem', (raw, message) => {
    expect(() => parseSettings(json(raw))).toThrow(SettingsError);
    expect(() => parseSettings(json(raw))).toThrow(message);
  });
});

describe('query models', () => {
  it('takes queryType from DataQuery or from the model', () => {
    expect(parseQueryModel(query({ rows: 1 }, 'synthetic')).queryType).toBe('synthetic');
    expect(parseQueryModel(query({ queryType: 'synthetic', rows: 1 })).queryType).toBe('synthetic');
  });

  it.each([
    ['{rows: 1}', 'synthetic', /^invalid query JSON/],
    ['"text"', 'synthetic', /^invalid query JSON: the query model must be a JSON object/],
    [{ rows: 1 }, 'logs', /^unknown queryType "logs": supported query types are synthetic/],
    [{ rows: 1, chunkRows: 0 }, 'synthetic', /chunkRows must be an integer between 1 and/],
  ])('answers %j (%s) with a 400 naming the problem', (model, type, message) => {
    let error: unknown;
    try {
      parseQueryModel(query(model, type));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).status).toBe(400);
    expect((error as QueryError).message).toMatch(message);
  });

  it('bounds synthetic rows by syntheticMaxRows', () => {
    const settings = { ...DEFAULT_SETTINGS, syntheticMaxRows: 10 };
    expect(parseSyntheticQuery({ queryType: 'synthetic', rows: 10 }, settings)).toEqual({ rows: 10, seed: 1 });
    expect(() => parseSyntheticQuery({ queryType: 'synthetic', rows: 11 }, settings)).toThrow(
      'rows must be an integer between 0 and 10, got 11'
    );
    expect(() => parseSyntheticQuery({ queryType: 'synthetic' }, settings)).toThrow(/rows must be an integer/);
  });
});

describe('synthetic rows', () => {
  it('are the mulberry32 random walk, reproducible from the seed', () => {
    const a = new SyntheticRows(7);
    const b = new SyntheticRows(7);
    const values = Array.from({ length: 1000 }, () => a.nextValue());
    expect(Array.from({ length: 1000 }, () => b.nextValue())).toEqual(values);
    // Reference values: mulberry32(7) first draw is 0.3460... (integer arithmetic only).
    let state = 7;
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t) >>> 0;
    expect(values[0]).toBe(50 + ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5);
    expect(new SyntheticRows(8).nextValue()).not.toBe(values[0]);
    for (let i = 1; i < values.length; i++) {
      expect(Math.abs(values[i] - values[i - 1])).toBeLessThanOrEqual(0.5);
    }
  });
});
