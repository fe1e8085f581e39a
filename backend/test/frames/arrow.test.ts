import { DataType, Precision, RecordBatchReader, tableFromIPC, tableToIPC, TimeUnit } from 'apache-arrow';
import {
  decodeArrowFile,
  encodeArrowFile,
  encodeFrameJSON,
  type FieldType,
  Frame,
  type FrameSchema,
} from '../../src/runtime/frames';
import { checkArrowFileStructure } from './arrow-structure';
import { allTypesFrame, allTypesSchema, NULL_ROW, snapshot } from './fixtures';

const ARROW_TYPE: Record<FieldType, (t: DataType) => boolean> = {
  int8: (t) => DataType.isInt(t) && t.bitWidth === 8 && t.isSigned,
  int16: (t) => DataType.isInt(t) && t.bitWidth === 16 && t.isSigned,
  int32: (t) => DataType.isInt(t) && t.bitWidth === 32 && t.isSigned,
  int64: (t) => DataType.isInt(t) && t.bitWidth === 64 && t.isSigned,
  uint8: (t) => DataType.isInt(t) && t.bitWidth === 8 && !t.isSigned,
  uint16: (t) => DataType.isInt(t) && t.bitWidth === 16 && !t.isSigned,
  enum: (t) => DataType.isInt(t) && t.bitWidth === 16 && !t.isSigned,
  uint32: (t) => DataType.isInt(t) && t.bitWidth === 32 && !t.isSigned,
  uint64: (t) => DataType.isInt(t) && t.bitWidth === 64 && !t.isSigned,
  float32: (t) => DataType.isFloat(t) && t.precision === Precision.SINGLE,
  float64: (t) => DataType.isFloat(t) && t.precision === Precision.DOUBLE,
  // Utf8, never Dictionary or LargeUtf8.
  string: (t) => DataType.isUtf8(t) && !DataType.isDictionary(t) && !DataType.isLargeUtf8(t),
  bool: (t) => DataType.isBool(t),
  time: (t) => DataType.isTimestamp(t) && t.unit === TimeUnit.NANOSECOND && !t.timezone,
  json: (t) => DataType.isBinary(t) && !DataType.isLargeBinary(t),
};

const TSTYPE: Record<FieldType, string> = {
  int8: 'number',
  int16: 'number',
  int32: 'number',
  int64: 'number',
  uint8: 'number',
  uint16: 'number',
  uint32: 'number',
  uint64: 'number',
  float32: 'number',
  float64: 'number',
  string: 'string',
  bool: 'boolean',
  time: 'time',
  json: 'other',
  enum: 'enum',
};

describe('encodeArrowFile structure', () => {
  const frame = allTypesFrame();
  const bytes = encodeArrowFile(frame);
  const table = tableFromIPC(bytes);

  it('is an Arrow IPC file with one record batch and no dictionaries', () => {
    expect(checkArrowFileStructure(bytes)).toEqual({ batches: 1, dictionaries: 0 });
    expect(table.numRows).toBe(frame.length);
  });

  it('declares exactly the Go-readable type, nullability and tstype per field', () => {
    // The reader's schema shows an absent name as null: apache-arrow omits "" (Go reads absent as "").
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    expect(reader.schema.fields).toHaveLength(frame.schema.fields.length);
    reader.schema.fields.forEach((f, i) => {
      const field = frame.schema.fields[i];
      expect([f.name ?? '', ARROW_TYPE[field.type](f.type)]).toEqual([field.name, true]);
      expect(f.nullable).toBe(field.nullable);
      expect(f.metadata.get('tstype')).toBe(TSTYPE[field.type]);
    });
  });

  it('writes schema metadata name/refId/meta and field labels (sorted)/config as JSON strings', () => {
    const md = table.schema.metadata;
    expect(md.get('name')).toBe('all types ❤️');
    expect(md.get('refId')).toBe('A');
    const meta = JSON.parse(md.get('meta') ?? 'null');
    expect(meta).toEqual({ ...allTypesSchema().meta, typeVersion: [0, 0] });
    expect(md.get('meta')?.startsWith('{"type":"table","typeVersion":[0,0],')).toBe(true);
    const f2 = table.schema.fields[2].metadata;
    expect(f2.get('labels')).toBe('{"10":"ten","9":"nine","alpha":"a","zeta":"z"}');
    expect(f2.has('config')).toBe(false);
    const f3 = table.schema.fields[3].metadata;
    expect([f3.get('labels'), f3.get('config')]).toEqual(['{}', '{}']);
    expect(table.schema.fields[0].metadata.get('config')).toBe('{"interval":1000}');
    expect(table.schema.fields[1].metadata.has('labels')).toBe(false);
  });

  it('writes exact int64 nanoseconds, raw NaN/±Inf and validity only where null', () => {
    const batch = table.batches[0];
    const time = batch.getChildAt(0)!;
    expect(time.data[0].values).toBeInstanceOf(BigInt64Array);
    expect(Array.from(time.data[0].values as BigInt64Array)).toEqual([
      -1_000_000n,
      9223372036854775807n,
      1568039445123_000_000n,
      1568039445123456789n,
      -1n,
      -9223372036854775808n,
    ]);
    const f64 = frame.schema.fields.findIndex((f) => f.name === 'float64');
    const floats = Array.from(batch.getChildAt(f64)!.toArray() as Float64Array);
    expect(floats.slice(2)).toEqual([NaN, 5e-324, -0, Infinity]);
    frame.schema.fields.forEach((field, i) => {
      const data = batch.getChildAt(i)!.data[0];
      expect(data.nullCount).toBe(field.nullable ? 1 : 0);
      if (field.nullable) expect(data.getValid(NULL_ROW)).toBe(false);
    });
  });

  it('writes 0 record batches for a 0-row frame and for a frame without fields', () => {
    const empty = new Frame(allTypesSchema());
    const emptyBytes = encodeArrowFile(empty);
    expect(checkArrowFileStructure(emptyBytes)).toEqual({ batches: 0, dictionaries: 0 });
    expect(tableFromIPC(emptyBytes).schema.fields).toHaveLength(empty.schema.fields.length);
    const noFields = new Frame({
      name: '',
      refId: 'B',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [],
    });
    const noFieldBytes = encodeArrowFile(noFields);
    expect(checkArrowFileStructure(noFieldBytes)).toEqual({ batches: 0, dictionaries: 0 });
    const md = tableFromIPC(noFieldBytes).schema.metadata;
    expect([md.get('name'), md.get('refId'), md.get('meta')]).toEqual([
      '',
      'B',
      '{"type":"timeseries-multi","typeVersion":[0,1]}',
    ]);
  });
});

describe('Arrow round trip', () => {
  it('decodes to an identical frame (schema and exact values, every type)', () => {
    const frame = allTypesFrame();
    const decoded = decodeArrowFile(encodeArrowFile(frame));
    expect(snapshot(decoded)).toEqual(snapshot(frame));
    expect(encodeFrameJSON(decoded, 'all')).toBe(encodeFrameJSON(frame, 'all'));
  });

  it('round-trips 0-row and no-field frames', () => {
    const empty = new Frame(allTypesSchema());
    expect(snapshot(decodeArrowFile(encodeArrowFile(empty)))).toEqual(snapshot(empty));
    const noFields = new Frame({ name: 'n', refId: 'B', fields: [] });
    expect(snapshot(decodeArrowFile(encodeArrowFile(noFields)))).toEqual(snapshot(noFields));
  });

  it('encodes only the current rows after clearRows (chunk reuse) and sees no stale bits', () => {
    const schema: FrameSchema = {
      name: '',
      refId: 'A',
      fields: [
        { name: 'b', type: 'bool', nullable: true },
        { name: 's', type: 'string', nullable: false },
        { name: 't', type: 'time', nullable: false },
      ],
    };
    const frame = new Frame(schema);
    for (let i = 0; i < 20; i++) frame.appendRow([true, 'long string value ' + i, i]);
    frame.clearRows();
    frame.appendRow([null, 'x', 5]);
    frame.appendRow([false, 'é', 6]);
    const decoded = decodeArrowFile(encodeArrowFile(frame));
    expect(decoded.length).toBe(2);
    expect([decoded.getRow(0), decoded.getRow(1)]).toEqual([
      [null, 'x', 5],
      [false, 'é', 6],
    ]);
  });

  it('keeps many rows across buffer growth exact', () => {
    const schema: FrameSchema = {
      name: '',
      refId: 'A',
      fields: [
        { name: 't', type: 'time', nullable: false },
        { name: 'v', type: 'int64', nullable: true },
        { name: 's', type: 'string', nullable: true },
      ],
    };
    const frame = new Frame(schema);
    for (let i = 0; i < 5000; i++) {
      frame.appendRow([
        BigInt(i) * 1_000_001n - 2_500_000_000n,
        i % 7 === 0 ? null : BigInt(i) ** 4n,
        i % 5 ? `s${i}` : null,
      ]);
    }
    expect(snapshot(decodeArrowFile(encodeArrowFile(frame)))).toEqual(snapshot(frame));
  });

  it('rejects stream-format input like Go', () => {
    const stream = tableToIPC(tableFromIPC(encodeArrowFile(allTypesFrame())), 'stream');
    expect(() => decodeArrowFile(stream)).toThrow(/not an Arrow IPC file/);
    expect(() => decodeArrowFile(new Uint8Array(0))).toThrow(/not an Arrow IPC file/);
  });
});
