import { Frame, type FrameSchema } from '../../src/runtime/frames';
import { allTypesFrame, allTypesSchema, NULL_ROW, ROWS, rowValues } from './fixtures';

const schema3: FrameSchema = {
  name: 'f',
  refId: 'A',
  fields: [
    { name: 'time', type: 'time', nullable: false },
    { name: 'value', type: 'float64', nullable: true },
    { name: 'host', type: 'string', nullable: false },
  ],
};

describe('Frame construction', () => {
  it('keeps one column per field in order and copies/freezes the schema', () => {
    const input = allTypesSchema();
    const frame = new Frame(input);
    expect(frame.columns.map((c) => c.field.name)).toEqual(input.fields.map((f) => f.name));
    expect(frame.columns.map((c) => c.index)).toEqual(input.fields.map((_, i) => i));
    expect(frame.length).toBe(0);
    expect(Object.isFrozen(frame.schema.fields[0])).toBe(true);
    input.fields[0].name = 'changed';
    expect(frame.schema.fields[0].name).toBe('time');
    expect(() => {
      (frame.schema.meta as { type?: string }).type = 'x';
    }).toThrow(TypeError);
  });

  it('copies labels and defaults meta.typeVersion to [0,0]', () => {
    const frame = new Frame(allTypesSchema());
    // Key order is sorted at encode time (integer-like keys cannot be ordered inside a JS object).
    expect(frame.schema.fields[2].labels).toEqual({ zeta: 'z', alpha: 'a', '10': 'ten', '9': 'nine' });
    expect(frame.schema.meta?.typeVersion).toEqual([0, 0]);
    const v = new Frame({ ...schema3, meta: { type: 'timeseries-multi', typeVersion: [0, 1] } });
    expect(v.schema.meta?.typeVersion).toEqual([0, 1]);
  });

  it.each([
    ['unknown type', { name: 'x', type: 'float16', nullable: false }, /unknown type float16/],
    ['missing nullable', { name: 'x', type: 'int8' }, /nullable must be a boolean/],
    ['non-string label', { name: 'x', type: 'int8', nullable: false, labels: { a: 1 } }, /label "a" must be a string/],
    ['non-string name', { name: 3, type: 'int8', nullable: false }, /name must be a string/],
  ])('rejects %s', (_, field, message) => {
    expect(() => new Frame({ name: '', refId: 'A', fields: [field as never] })).toThrow(message);
  });

  it('supports a frame without fields, which always has 0 rows', () => {
    const frame = new Frame({ name: '', refId: 'A', meta: { type: 'timeseries-multi' }, fields: [] });
    frame.appendRow([]);
    frame.appendColumns([]);
    expect(frame.length).toBe(0);
    expect(frame.columns).toEqual([]);
    expect(frame.estimatedBytes()).toBe(0);
  });
});

describe('appending', () => {
  it('stores every type and returns documented representations', () => {
    const frame = allTypesFrame();
    expect(frame.length).toBe(ROWS);
    const idx = (name: string) => frame.schema.fields.findIndex((f) => f.name === name);
    expect(frame.get(idx('time'), 0)).toBe(-1);
    expect(frame.getTimeNanos(idx('time'), 0)).toBe(-1_000_000n);
    expect(frame.get(idx('time'), 1)).toBe(9223372036854);
    expect(frame.getTimeNanos(idx('time'), 1)).toBe(9223372036854775807n);
    expect(frame.getTimeNanos(idx('time'), 4)).toBe(-1n);
    expect(frame.get(idx('time'), 4)).toBe(-1);
    expect(frame.getTimeNanos(idx('time'), 5)).toBe(-9223372036854775808n);
    expect(frame.get(idx('int64'), 0)).toBe(-(2n ** 63n));
    expect(frame.get(idx('int64'), 5)).toBe(5n);
    expect(frame.get(idx('uint64'), 1)).toBe(2n ** 64n - 1n);
    expect(frame.get(idx('float32'), 1)).toBe(3.4028234663852886e38);
    expect(frame.get(idx('float64'), 2)).toBeNaN();
    expect(Object.is(frame.get(idx('float64'), 4), -0)).toBe(true);
    expect(frame.get(idx('bool'), 1)).toBe(true);
    expect(frame.get(idx('bool'), 0)).toBe(false);
    expect(frame.get(idx('json'), 1)).toBe('[1,2,3]');
    expect(frame.get(idx('enum'), 1)).toBe(65535);
    expect(frame.get(idx('string'), 1)).toBe('🦥 ❤️ grafana');
    for (const col of frame.columns) {
      expect(col.isNull(NULL_ROW)).toBe(col.field.nullable);
      expect(col.get(NULL_ROW) === null).toBe(col.field.nullable);
      expect(col.nullCount).toBe(col.field.nullable ? 1 : 0);
    }
  });

  it('gives exact nanoseconds for millisecond input (no float ms→ns rounding)', () => {
    const frame = new Frame(schema3);
    frame.appendRow([1568039445123, 1, 'a']);
    frame.appendRow([new Date(1568039445124), 1, 'a']);
    expect(frame.getTimeNanos(0, 0)).toBe(BigInt(1568039445123) * 1_000_000n);
    expect(frame.getTimeNanos(0, 1)).toBe(1568039445124_000_000n);
    expect(frame.get(0, 1)).toBe(1568039445124);
  });

  it('appendColumns accepts typed arrays and plain arrays, equal to appendRow', () => {
    const a = new Frame(schema3);
    const b = new Frame(schema3);
    const times = [1, 2, 3];
    const values = new Float64Array([0.5, NaN, -1]);
    const hosts = ['x', 'y', 'z'];
    a.appendColumns([times, values, hosts]);
    a.appendColumns([[4], [null], ['w']]);
    for (let i = 0; i < 3; i++) b.appendRow([times[i], values[i], hosts[i]]);
    b.appendRow([4, null, 'w']);
    expect(a.length).toBe(4);
    expect(a.getRow(3)).toEqual([4, null, 'w']);
    for (let r = 0; r < 4; r++) expect(a.getRow(r)).toEqual(b.getRow(r));
    expect(a.columns[1].nullCount).toBe(1);
  });

  it('rejects columns of different lengths', () => {
    const frame = new Frame(schema3);
    expect(() => frame.appendColumns([[1, 2], [1], ['a', 'b']])).toThrow(RangeError);
    expect(() => frame.appendColumns([[1], [1]])).toThrow(RangeError);
    expect(() => frame.appendRow([1, 2])).toThrow(RangeError);
    expect(frame.length).toBe(0);
  });

  it.each([
    ['null into non-nullable time', [null, 1, 'a'], TypeError, /"time".*not nullable/],
    ['undefined into non-nullable string', [1, 1, undefined], TypeError, /"host".*not nullable/],
    ['string into float64', [1, '1.5', 'a'], TypeError, /"value".*expected number/],
    ['number into string', [1, 1, 5], TypeError, /"host".*expected string/],
    ['fractional ms', [1.5, 1, 'a'], TypeError, /"time".*integer epoch milliseconds/],
    ['NaN ms', [NaN, 1, 'a'], TypeError, /"time"/],
    ['ms beyond int64 ns', [9223372036855, 1, 'a'], RangeError, /"time"/],
    ['ns beyond int64', [2n ** 63n, 1, 'a'], RangeError, /"time"/],
    ['object into time', [{}, 1, 'a'], TypeError, /"time"/],
  ])('throws for %s and leaves the frame unchanged', (_, row, errorType, message) => {
    const frame = new Frame(schema3);
    frame.appendRow([1, 2, 'ok']);
    const before = frame.estimatedBytes();
    expect(() => frame.appendRow(row)).toThrow(errorType);
    expect(() => frame.appendRow(row)).toThrow(message);
    expect(() => frame.appendColumns(row.map((v) => [v]))).toThrow(errorType);
    expect(frame.length).toBe(1);
    expect(frame.estimatedBytes()).toBe(before);
    expect(frame.columns.map((c) => c.nullCount)).toEqual([0, 0, 0]);
    frame.appendRow([3, null, 'next']);
    expect(frame.getRow(1)).toEqual([3, null, 'next']);
  });

  it.each([
    ['int8', 128],
    ['int8', -129],
    ['int8', 1.5],
    ['uint8', -1],
    ['uint16', 65536],
    ['int32', 2 ** 31],
    ['uint32', 2 ** 32],
    ['enum', 65536],
    ['enum', -1],
    ['int64', 2n ** 63n],
    ['int64', -(2n ** 63n) - 1n],
    ['int64', 2 ** 63],
    ['uint64', -1n],
    ['uint64', -1],
    ['uint64', 2n ** 64n],
  ] as const)('rejects out-of-range %s value %p instead of wrapping', (type, value) => {
    const frame = new Frame({ name: '', refId: 'A', fields: [{ name: 'v', type, nullable: false }] });
    expect(() => frame.appendRow([value])).toThrow(/"v"/);
    expect(frame.length).toBe(0);
  });

  it.each([
    ['int64', 1.5, TypeError],
    ['int64', '1', TypeError],
    ['int32', 1n, TypeError],
    ['bool', 1, TypeError],
    ['bool', 'true', TypeError],
    ['json', '', TypeError],
    ['json', '  ', TypeError],
    ['json', { a: 1 }, TypeError],
    ['string', Symbol('s'), TypeError],
  ] as const)('rejects %s value of the wrong JS type (%p)', (type, value, errorType) => {
    const frame = new Frame({ name: '', refId: 'A', fields: [{ name: 'v', type, nullable: true }] });
    expect(() => frame.appendRow([value])).toThrow(errorType);
    expect(frame.length).toBe(0);
  });

  it('accepts large integral numbers for int64/uint64 beyond 2^53', () => {
    const frame = new Frame({
      name: '',
      refId: 'A',
      fields: [
        { name: 'i', type: 'int64', nullable: false },
        { name: 'u', type: 'uint64', nullable: false },
      ],
    });
    frame.appendRow([-(2 ** 60), 2 ** 63]);
    frame.appendRow([-(2 ** 63), 2 ** 53]);
    expect(frame.getRow(0)).toEqual([-(2n ** 60n), 2n ** 63n]);
    expect(frame.getRow(1)).toEqual([-(2n ** 63n), 2n ** 53n]);
  });

  it('get() rejects rows beyond length and field indexes out of range', () => {
    const frame = new Frame(schema3);
    frame.appendRow([1, 2, 'a']);
    expect(() => frame.get(0, 1)).toThrow(RangeError);
    expect(() => frame.get(3, 0)).toThrow(RangeError);
    expect(() => frame.getTimeNanos(1, 0)).toThrow(/not a time field/);
  });
});

describe('clearRows and estimatedBytes', () => {
  it('drops rows, keeps the schema and reuses columns', () => {
    const frame = new Frame(schema3);
    const columns = frame.columns;
    for (let i = 0; i < 100; i++) frame.appendRow([i, i % 3 === 0 ? null : i / 2, `h${i}`]);
    frame.clearRows();
    expect(frame.length).toBe(0);
    expect(frame.columns).toBe(columns);
    expect(frame.columns.map((c) => c.nullCount)).toEqual([0, 0, 0]);
    expect(frame.estimatedBytes()).toBe(0);
    frame.appendRow([7, 1.5, 'x']);
    expect(frame.getRow(0)).toEqual([7, 1.5, 'x']);
    expect(frame.columns[1].nullCount).toBe(0);
  });

  it('grows with rows and string lengths', () => {
    const frame = new Frame(schema3);
    frame.appendRow([1, 1, 'a']);
    const one = frame.estimatedBytes();
    expect(one).toBeGreaterThan(0);
    frame.appendRow([1, 1, 'a']);
    expect(frame.estimatedBytes()).toBe(2 * one);
    frame.appendRow([1, 1, 'a'.repeat(1001)]);
    expect(frame.estimatedBytes()).toBe(3 * one + 1000);
  });

  it('is at least the size of both encodings for typical rows', async () => {
    const { encodeArrowFile, encodeFrameJSON } = await import('../../src/runtime/frames');
    const frame = new Frame(schema3);
    for (let i = 0; i < 1000; i++) frame.appendRow([1700000000000 + i * 1000, Math.random() * 100, `host-${i % 10}`]);
    const json = encodeFrameJSON(frame, 'data').length;
    const arrow = encodeArrowFile(frame).length;
    expect(frame.estimatedBytes()).toBeGreaterThanOrEqual(json * 0.9);
    expect(frame.estimatedBytes()).toBeLessThan(json * 2);
    expect(frame.estimatedBytes()).toBeGreaterThan(arrow * 0.9);
  });
});

describe('fixtures sanity', () => {
  it('rowValues puts nulls only into nullable fields', () => {
    const schema = allTypesSchema();
    const row = rowValues(schema, NULL_ROW);
    schema.fields.forEach((f, i) => expect(row[i] === null).toBe(f.nullable));
  });
});
