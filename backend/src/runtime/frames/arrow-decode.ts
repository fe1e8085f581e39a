import { type Data, DataType, type Field, makeVector, Precision, RecordBatchReader, Type } from 'apache-arrow';
import { getBit } from './bitmap';
import { Frame } from './frame';
import type { FieldConfig, FieldSchema, FieldType, FrameMeta, FrameSchema } from './types';

const MAGIC = 'ARROW1';
const utf8 = new TextDecoder('utf-8');

/**
 * Reads an Arrow IPC file the way Go's UnmarshalArrowFrame does (frames.md §1.4, §1.9): types from the
 * Arrow type id only (Uint16 + tstype=enum → enum), any timestamp unit read as nanoseconds, nullability
 * from the field flag (the validity bitmap of a non-nullable field is ignored), all batches concatenated.
 */
export function decodeArrowFile(bytes: Uint8Array): Frame {
  if (!hasFileMagic(bytes)) throw new Error('arrow: not an Arrow IPC file (missing trailing ARROW1 magic)');
  // The reader's own schema keeps an absent field name as null (apache-arrow writes "" as absent);
  // tableFromIPC would turn it into the string "null".
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  const fields = reader.schema.fields.map(fieldFromArrow);
  const metadata = reader.schema.metadata;
  const schema: FrameSchema = { name: metadata.get('name') ?? '', refId: metadata.get('refId') ?? '', fields };
  const meta = parseMetadataJSON(metadata.get('meta'), 'frame meta');
  if (meta !== undefined) schema.meta = meta as FrameMeta;
  const frame = new Frame(schema);
  for (const batch of reader) {
    if (batch.numRows === 0 || fields.length === 0) continue;
    frame.appendColumns(fields.map((field, i) => columnValues(batch.data.children[i], field)));
  }
  return frame;
}

/** Like arrow-go, only the trailing magic (which ends the footer) is required; stream format has none. */
function hasFileMagic(bytes: Uint8Array): boolean {
  return bytes.length > 16 && String.fromCharCode(...bytes.subarray(bytes.length - 6)) === MAGIC;
}

function fieldFromArrow(field: Field): FieldSchema {
  const md = field.metadata;
  const name = (field.name as string | null) ?? '';
  const out: FieldSchema = { name, type: fieldType(field), nullable: field.nullable };
  const labels = parseMetadataJSON(md.get('labels'), `labels of field "${field.name}"`);
  if (labels !== undefined) out.labels = labels as Record<string, string>;
  const config = parseMetadataJSON(md.get('config'), `config of field "${field.name}"`);
  if (config !== undefined) out.config = config as FieldConfig;
  return out;
}

function fieldType(field: Field): FieldType {
  const type = field.type;
  // Field.typeId is the generic id (Int, Float, Timestamp); width and precision live on the type.
  if (DataType.isInt(type)) {
    const t = intType(type.bitWidth, type.isSigned);
    return t === 'uint16' && field.metadata.get('tstype') === 'enum' ? 'enum' : t;
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.SINGLE) return 'float32';
    if (type.precision === Precision.DOUBLE) return 'float64';
  } else if (DataType.isBool(type)) {
    return 'bool';
  } else if (DataType.isUtf8(type) || DataType.isUtf8View(type)) {
    return 'string';
  } else if (DataType.isBinary(type)) {
    return 'json';
  } else if (DataType.isTimestamp(type)) {
    return 'time';
  }
  throw new TypeError(`arrow: unsupported type ${String(type)} for field "${field.name}" (Go rejects it too)`);
}

function intType(bitWidth: number, signed: boolean): FieldType {
  switch (bitWidth) {
    case 8:
      return signed ? 'int8' : 'uint8';
    case 16:
      return signed ? 'int16' : 'uint16';
    case 32:
      return signed ? 'int32' : 'uint32';
    default:
      return signed ? 'int64' : 'uint64';
  }
}

/** `null` decodes to absent, like Go's nil labels/config/meta. */
function parseMetadataJSON(text: string | undefined, what: string): object | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`arrow: ${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`arrow: ${what} must be a JSON object`);
  return value;
}

/** One batch's values for appendColumns; typed arrays when there can be no nulls (fast path). */
function columnValues(data: Data, field: FieldSchema): ArrayLike<unknown> {
  const { offset, length } = data;
  const bitmap = field.nullable && data.nullCount > 0 ? data.nullBitmap : undefined;
  const isValid = (i: number) => bitmap === undefined || bitmap.length === 0 || getBit(bitmap, offset + i);
  if (data.typeId === Type.Utf8View) {
    const vector = makeVector(data);
    return Array.from({ length }, (_, i) => (isValid(i) ? vector.get(i) : null));
  }
  switch (field.type) {
    case 'string':
    case 'json': {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const out = new Array<string | null>(length);
      for (let i = 0; i < length; i++) {
        if (!isValid(i)) {
          out[i] = null;
          continue;
        }
        const text = utf8.decode(bytes.subarray(offsets[offset + i], offsets[offset + i + 1]));
        // An empty json cell is not JSON; "null" is the closest valid reading.
        out[i] = field.type === 'json' && text === '' ? 'null' : text;
      }
      return out;
    }
    case 'bool': {
      const bits = data.values as Uint8Array;
      return Array.from({ length }, (_, i) => (isValid(i) ? getBit(bits, offset + i) : null));
    }
    default: {
      // Numbers, int64 (bigint) and time (int64 ns): raw values, Go takes any timestamp unit as ns.
      const values = (
        data.values as ArrayLike<unknown> & { subarray(a: number, b: number): ArrayLike<unknown> }
      ).subarray(offset, offset + length);
      if (bitmap === undefined) return values;
      return Array.from({ length }, (_, i) => (isValid(i) ? values[i] : null));
    }
  }
}
