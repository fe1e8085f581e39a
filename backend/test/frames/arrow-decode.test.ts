import {
  Field,
  Float64,
  Int32,
  LargeUtf8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint16,
  vectorFromArray,
  Dictionary,
  Utf8,
} from 'apache-arrow';
import { decodeArrowFile, encodeArrowFile, Frame } from '../../src/runtime/frames';
import { snapshot } from './fixtures';

/** Foreign Arrow input, written with apache-arrow directly, read with Go's rules (frames.md §1.4, §1.9). */
function fileOf(fields: Field[], columns: ReturnType<typeof makeData>[], metadata = new Map<string, string>()) {
  const schema = new Schema(fields, metadata);
  const length = columns[0]?.length ?? 0;
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'file');
}

describe('decodeArrowFile on foreign input', () => {
  it('reads any timestamp unit as nanoseconds, like Go', () => {
    const bytes = fileOf(
      [new Field('t', new TimestampMillisecond('UTC'), false)],
      [makeData({ type: new TimestampMillisecond('UTC'), data: new BigInt64Array([1700000000000n]) })]
    );
    const frame = decodeArrowFile(bytes);
    expect(frame.schema.fields[0].type).toBe('time');
    expect(frame.getTimeNanos(0, 0)).toBe(1700000000000n);
  });

  it('tells enum from uint16 by tstype only', () => {
    const data = () => makeData({ type: new Uint16(), data: new Uint16Array([3]) });
    const bytes = fileOf(
      [
        new Field('e', new Uint16(), false, new Map([['tstype', 'enum']])),
        new Field('u', new Uint16(), false, new Map([['tstype', 'number']])),
        new Field('x', new Uint16(), false),
      ],
      [data(), data(), data()]
    );
    expect(decodeArrowFile(bytes).schema.fields.map((f) => f.type)).toEqual(['enum', 'uint16', 'uint16']);
  });

  it('ignores the validity bitmap of a non-nullable field (Go reads the raw value)', () => {
    const bitmap = new Uint8Array([0b101]);
    const bytes = fileOf(
      [new Field('a', new Int32(), false), new Field('b', new Int32(), true)],
      [
        makeData({ type: new Int32(), data: new Int32Array([1, 2, 3]), nullBitmap: bitmap, nullCount: 1 }),
        makeData({ type: new Int32(), data: new Int32Array([1, 2, 3]), nullBitmap: bitmap, nullCount: 1 }),
      ]
    );
    const frame = decodeArrowFile(bytes);
    expect(snapshot(frame).columns).toEqual([
      [1, 2, 3],
      [1, null, 3],
    ]);
  });

  it('concatenates several record batches and tolerates missing metadata', () => {
    const schema = new Schema([new Field('v', new Float64(), false)]);
    const batch = (values: number[]) =>
      new RecordBatch(
        schema,
        makeData({
          type: new Struct(schema.fields),
          length: values.length,
          nullCount: 0,
          children: [makeData({ type: new Float64(), data: new Float64Array(values) })],
        })
      );
    const bytes = tableToIPC(new Table(schema, [batch([1, 2]), batch([]), batch([3])]), 'file');
    const frame = decodeArrowFile(bytes);
    expect(frame.schema).toEqual({ name: '', refId: '', fields: [{ name: 'v', type: 'float64', nullable: false }] });
    expect(snapshot(frame).columns).toEqual([[1, 2, 3]]);
  });

  it.each([
    ['Dictionary', () => vectorFromArray(['a', 'b'], new Dictionary(new Utf8(), new Int32()))],
    ['LargeUtf8', () => vectorFromArray(['a', 'b'], new LargeUtf8())],
  ])('rejects %s columns like Go', (name, vector) => {
    const bytes = tableToIPC(new Table({ x: vector() }), 'file');
    expect(() => decodeArrowFile(bytes)).toThrow(new RegExp(`unsupported type.*${name}`));
  });

  it('fails on labels that are not valid JSON or not strings, like Go', () => {
    const field = (labels: string) =>
      fileOf(
        [new Field('a', new Int32(), false, new Map([['labels', labels]]))],
        [makeData({ type: new Int32(), data: new Int32Array([1]) })]
      );
    expect(() => decodeArrowFile(field('{x'))).toThrow(/labels of field "a" is not valid JSON/);
    expect(() => decodeArrowFile(field('{"x":1}'))).toThrow(/label "x" must be a string/);
    expect(decodeArrowFile(field('null')).schema.fields[0].labels).toBeUndefined();
  });

  it('maps an empty name (written as absent by apache-arrow) back to ""', () => {
    const frame = new Frame({ name: '', refId: '', fields: [{ name: '', type: 'int8', nullable: false }] });
    frame.appendRow([1]);
    const bytes = encodeArrowFile(frame);
    expect(decodeArrowFile(bytes).schema.fields[0].name).toBe('');
    // tableFromIPC alone would report the name as the string "null".
    expect(tableFromIPC(bytes).schema.fields[0].name).toBe('null');
  });

  it('reads nanosecond timestamps with a timezone', () => {
    const bytes = fileOf(
      [new Field('t', new TimestampNanosecond('Europe/Paris'), true)],
      [makeData({ type: new TimestampNanosecond('Europe/Paris'), data: new BigInt64Array([-5n, 7n]) })]
    );
    expect(snapshot(decodeArrowFile(bytes)).columns).toEqual([[-5n, 7n]]);
  });
});
