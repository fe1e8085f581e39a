import {
  Binary,
  Bool,
  type Data,
  type DataType,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
} from 'apache-arrow';
import { encodeRecordBatchFile } from './arrow-file';
import { copyBitmap } from './bitmap';
import { BoolColumn } from './bool-column';
import type { BaseColumn } from './column';
import { FIELD_TYPES } from './field-types';
import { type Frame, internalColumns } from './frame';
import { Int64Column } from './int64-column';
import { NumberColumn } from './number-column';
import { labelsToJSON, metaToJSON } from './schema';
import { StringColumn } from './string-column';
import { TimeColumn } from './time-column';
import type { FieldSchema, FieldType, FrameSchema } from './types';
import { encodeUtf8 } from './utf8';

/** Explicit Arrow types only; inference would produce Dictionary/ms timestamps that Go rejects or misreads. */
function arrowType(type: FieldType): DataType {
  switch (type) {
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
    case 'enum':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'string':
      return new Utf8();
    case 'bool':
      return new Bool();
    case 'time':
      return new TimestampNanosecond(null);
    case 'json':
      return new Binary();
  }
}

function arrowField(field: FieldSchema): Field {
  const metadata = new Map<string, string>([['tstype', FIELD_TYPES[field.type].simple]]);
  if (field.labels !== undefined) metadata.set('labels', labelsToJSON(field.labels));
  if (field.config !== undefined) metadata.set('config', JSON.stringify(field.config));
  return new Field(field.name, arrowType(field.type), field.nullable, metadata);
}

function arrowSchema(schema: FrameSchema): Schema {
  const metadata = new Map<string, string>([
    ['name', schema.name],
    ['refId', schema.refId],
  ]);
  if (schema.meta !== undefined) metadata.set('meta', metaToJSON(schema.meta));
  return new Schema(schema.fields.map(arrowField), metadata);
}

/** The schema never changes for a Frame, so build its Arrow form once. */
const schemaCache = new WeakMap<Frame, Schema>();

function cachedSchema(frame: Frame): Schema {
  let schema = schemaCache.get(frame);
  if (schema === undefined) {
    schema = arrowSchema(frame.schema);
    schemaCache.set(frame, schema);
  }
  return schema;
}

function columnData(col: BaseColumn, type: DataType, length: number): Data {
  // Only pass a bitmap when there are nulls; apache-arrow then writes a zero-length validity buffer.
  const nullCount = col.nullCount;
  const nullBitmap = nullCount > 0 && col.validity !== null ? copyBitmap(col.validity, length) : undefined;
  const common = { type, length, nullCount, nullBitmap };
  if (col instanceof NumberColumn) {
    return makeData({ ...common, data: col.values.subarray(0, length) } as never);
  }
  if (col instanceof Int64Column) {
    return makeData({ ...common, data: col.big.subarray(0, length) } as never);
  }
  if (col instanceof TimeColumn) {
    return makeData({ ...common, data: col.nanosecondWords(length) } as never);
  }
  if (col instanceof BoolColumn) {
    return makeData({ ...common, data: copyBitmap(col.bits, length) } as never);
  }
  if (col instanceof StringColumn) {
    const { offsets, bytes } = encodeUtf8(col.values, length);
    return makeData({ ...common, valueOffsets: offsets, data: bytes } as never);
  }
  throw new TypeError(`no Arrow encoder for field type ${col.field.type}`);
}

/**
 * Arrow IPC file (not stream: Go needs the footer) holding the schema and the current rows as one
 * record batch, or no batch at all when there are no rows, like Go's writer (frames.md §1.8, §8).
 */
export function encodeArrowFile(frame: Frame): Uint8Array {
  const schema = cachedSchema(frame);
  const length = frame.length;
  if (length === 0) return tableToIPC(new Table(schema), 'file');
  const cols = internalColumns(frame);
  const children = cols.map((col, i) => columnData(col, schema.fields[i].type, length));
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return encodeRecordBatchFile(schema, new RecordBatch(schema, data));
}
