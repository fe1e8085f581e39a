import { BoolColumn } from './bool-column';
import { FIELD_TYPES } from './field-types';
import { type Frame, internalColumns } from './frame';
import { Int64Column } from './int64-column';
import { NumberColumn } from './number-column';
import { MAX_VALUE_BYTES, scratch, text, writeAscii, writeFloat, writeInteger } from './ascii-writer';
import { labelsToJSON, metaToJSON } from './schema';
import { StringColumn } from './string-column';
import { TimeColumn } from './time-column';
import type { FieldSchema, FrameSchema } from './types';

export type FrameJSONInclude = 'all' | 'data' | 'schema';

/**
 * Grafana frame JSON as data/frame_json.go writes it: `schema` before `data`, and inside `data` the
 * `values` before `entities` and `nanos` (the Go reader depends on that order, frames.md §2.4).
 */
export function encodeFrameJSON(frame: Frame, include: FrameJSONInclude): string {
  switch (include) {
    case 'all':
      return '{"schema":' + cachedSchemaJSON(frame) + ',"data":' + dataJSON(frame) + '}';
    case 'data':
      return '{"data":' + dataJSON(frame) + '}';
    case 'schema':
      return '{"schema":' + cachedSchemaJSON(frame) + '}';
    default:
      throw new TypeError(`encodeFrameJSON: unknown include ${String(include)}`);
  }
}

const schemaCache = new WeakMap<Frame, string>();

function cachedSchemaJSON(frame: Frame): string {
  let json = schemaCache.get(frame);
  if (json === undefined) {
    json = schemaJSON(frame.schema);
    schemaCache.set(frame, json);
  }
  return json;
}

function schemaJSON(schema: FrameSchema): string {
  const parts: string[] = [];
  if (schema.name !== '') parts.push('"name":' + JSON.stringify(schema.name));
  if (schema.refId !== '') parts.push('"refId":' + JSON.stringify(schema.refId));
  if (schema.meta !== undefined) parts.push('"meta":' + metaToJSON(schema.meta));
  parts.push('"fields":[' + schema.fields.map(fieldJSON).join(',') + ']');
  return '{' + parts.join(',') + '}';
}

function fieldJSON(field: FieldSchema): string {
  const info = FIELD_TYPES[field.type];
  let out = '{';
  if (field.name !== '') out += '"name":' + JSON.stringify(field.name) + ',';
  out += '"type":"' + info.simple + '","typeInfo":{"frame":"' + info.frameName + '"';
  out += field.nullable ? ',"nullable":true}' : '}';
  if (field.labels !== undefined) out += ',"labels":' + labelsToJSON(field.labels);
  if (field.config !== undefined) out += ',"config":' + JSON.stringify(field.config);
  return out + '}';
}

/** Per-field NaN/±Inf row lists; JSON has no literal for them, so the value slot holds null. */
interface Entities {
  NaN: number[];
  Inf: number[];
  NegInf: number[];
}

const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;

function dataJSON(frame: Frame): string {
  const cols = internalColumns(frame);
  const length = frame.length;
  let entities: (Entities | null)[] | null = null;
  let nanos: (string | null)[] | null = null;
  let out = '{"values":[';
  for (let f = 0; f < cols.length; f++) {
    const col = cols[f];
    if (f > 0) out += ',';
    if (col instanceof NumberColumn && (col.field.type === 'float64' || col.field.type === 'float32')) {
      const found: Entities = { NaN: [], Inf: [], NegInf: [] };
      out += floatValues(col, length, found);
      if (found.NaN.length + found.Inf.length + found.NegInf.length > 0) {
        entities ??= new Array<Entities | null>(cols.length).fill(null);
        entities[f] = found;
      }
    } else if (col instanceof TimeColumn) {
      out += integerValues(col.ms, col.validity, length);
      if (hasSubMillisecond(col, length)) {
        nanos ??= new Array<string | null>(cols.length).fill(null);
        nanos[f] = integerValues(col.sub, null, length);
      }
    } else if (col instanceof NumberColumn) {
      out += integerValues(col.values, col.validity, length);
    } else if (col instanceof Int64Column) {
      out += int64Values(col, length);
    } else if (col instanceof StringColumn) {
      out += col.field.type === 'json' ? rawValues(col, length) : stringValues(col, length);
    } else if (col instanceof BoolColumn) {
      out += boolValues(col, length);
    } else {
      throw new TypeError(`no JSON encoder for field type ${col.field.type}`);
    }
  }
  out += ']';
  if (entities !== null) out += ',"entities":[' + entities.map(entitiesJSON).join(',') + ']';
  if (nanos !== null) out += ',"nanos":[' + nanos.map((n) => (n === null ? 'null' : n)).join(',') + ']';
  return out + '}';
}

function isNull(validity: Uint8Array | null, i: number): boolean {
  return validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0;
}

function floatValues(col: NumberColumn, length: number, found: Entities): string {
  const values = col.values;
  const validity = col.validity;
  const buf = scratch(length * MAX_VALUE_BYTES + 2);
  let pos = 0;
  buf[pos++] = OPEN;
  for (let i = 0; i < length; i++) {
    if (i > 0) buf[pos++] = COMMA;
    const v = values[i];
    if (isNull(validity, i)) {
      pos = writeAscii(buf, pos, 'null');
    } else if (v - v !== 0) {
      // NaN or ±Inf: only these make v - v non-zero.
      if (v !== v) found.NaN.push(i);
      else if (v > 0) found.Inf.push(i);
      else found.NegInf.push(i);
      pos = writeAscii(buf, pos, 'null');
    } else {
      pos = writeFloat(buf, pos, v);
    }
  }
  buf[pos++] = CLOSE;
  return text(buf, pos);
}

/** Integer-valued arrays: int8…uint32, enum, time ms, nanos. */
function integerValues(values: ArrayLike<number>, validity: Uint8Array | null, length: number): string {
  const buf = scratch(length * MAX_VALUE_BYTES + 2);
  let pos = 0;
  buf[pos++] = OPEN;
  for (let i = 0; i < length; i++) {
    if (i > 0) buf[pos++] = COMMA;
    pos = isNull(validity, i) ? writeAscii(buf, pos, 'null') : writeInteger(buf, pos, values[i]);
  }
  buf[pos++] = CLOSE;
  return text(buf, pos);
}

function int64Values(col: Int64Column, length: number): string {
  const validity = col.validity;
  const buf = scratch(length * MAX_VALUE_BYTES + 2);
  let pos = 0;
  buf[pos++] = OPEN;
  for (let i = 0; i < length; i++) {
    if (i > 0) buf[pos++] = COMMA;
    pos = isNull(validity, i) ? writeAscii(buf, pos, 'null') : col.writeDigits(buf, pos, i);
  }
  buf[pos++] = CLOSE;
  return text(buf, pos);
}

function boolValues(col: BoolColumn, length: number): string {
  const { bits, validity } = col;
  const buf = scratch(length * MAX_VALUE_BYTES + 2);
  let pos = 0;
  buf[pos++] = OPEN;
  for (let i = 0; i < length; i++) {
    if (i > 0) buf[pos++] = COMMA;
    const literal = isNull(validity, i) ? 'null' : (bits[i >> 3] & (1 << (i & 7))) !== 0 ? 'true' : 'false';
    pos = writeAscii(buf, pos, literal);
  }
  buf[pos++] = CLOSE;
  return text(buf, pos);
}

function hasSubMillisecond(col: TimeColumn, length: number): boolean {
  const sub = col.sub;
  for (let i = 0; i < length; i++) if (sub[i] !== 0) return true;
  return false;
}

/** One JSON.stringify of the whole array: far cheaper than one call per value. */
function stringValues(col: StringColumn, length: number): string {
  const validity = col.validity;
  const values: (string | null)[] = col.values.length === length ? col.values : col.values.slice(0, length);
  if (validity === null || col.nullCount === 0) return JSON.stringify(values);
  const copy = values === col.values ? values.slice() : values;
  for (let i = 0; i < length; i++) if (isNull(validity, i)) copy[i] = null;
  return JSON.stringify(copy);
}

/** json fields hold raw JSON text, spliced in unquoted. */
function rawValues(col: StringColumn, length: number): string {
  const { values, validity } = col;
  let out = '[';
  for (let i = 0; i < length; i++) {
    if (i > 0) out += ',';
    out += isNull(validity, i) ? 'null' : values[i];
  }
  return out + ']';
}

function entitiesJSON(e: Entities | null): string {
  if (e === null) return 'null';
  const parts: string[] = [];
  if (e.NaN.length > 0) parts.push('"NaN":[' + e.NaN.join(',') + ']');
  if (e.Inf.length > 0) parts.push('"Inf":[' + e.Inf.join(',') + ']');
  if (e.NegInf.length > 0) parts.push('"NegInf":[' + e.NegInf.join(',') + ']');
  return '{' + parts.join(',') + '}';
}
