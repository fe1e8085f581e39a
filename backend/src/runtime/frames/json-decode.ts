import { fieldTypeFromFrameName, isFloatType } from './field-types';
import { Frame } from './frame';
import { JsonScanner } from './json-scan';
import { joinNanos } from './time-math';
import type { FieldConfig, FieldSchema, FieldType, FrameMeta, FrameSchema } from './types';

/**
 * Reads frame JSON (`{"schema":…,"data":…}`, data optional) following the Go reader
 * (data/frame_json.go): the schema must come first, `typeInfo.frame` decides the type.
 */
export function decodeFrameJSON(json: string): Frame {
  const sc = new JsonScanner(json);
  let frame: Frame | undefined;
  sc.expect('{');
  for (let key = sc.nextKey(true); key !== undefined; key = sc.nextKey(false)) {
    if (key === 'schema') {
      if (frame !== undefined) throw sc.error('duplicate schema');
      frame = new Frame(schemaFromJSON(sc.readValue()));
    } else if (key === 'data') {
      if (frame === undefined) throw sc.error('data before schema or frame without schema');
      readData(sc, frame);
    } else {
      throw sc.error(`unexpected field ${JSON.stringify(key)}`);
    }
  }
  sc.end();
  if (frame === undefined) throw sc.error('frame without schema');
  return frame;
}

/** Appends a data-only chunk (`{"data":…}`, like Go's AppendJSONData); all-or-nothing. */
export function appendFrameJSONData(frame: Frame, json: string): void {
  const sc = new JsonScanner(json);
  sc.expect('{');
  for (let key = sc.nextKey(true); key !== undefined; key = sc.nextKey(false)) {
    if (key === 'schema') throw sc.error('the payload may not include the schema');
    if (key !== 'data') throw sc.error(`unexpected field ${JSON.stringify(key)}`);
    readData(sc, frame);
  }
  sc.end();
}

function schemaFromJSON(raw: unknown): FrameSchema {
  const obj = asObject(raw, 'schema');
  const schema: FrameSchema = {
    name: optionalString(obj.name, 'schema.name'),
    refId: optionalString(obj.refId, 'schema.refId'),
    fields: [],
  };
  if (obj.meta !== undefined && obj.meta !== null) schema.meta = asObject(obj.meta, 'schema.meta') as FrameMeta;
  const fields = obj.fields ?? [];
  if (!Array.isArray(fields)) throw new SyntaxError('frame JSON: schema.fields must be an array');
  schema.fields = fields.map(fieldFromJSON);
  return schema;
}

function fieldFromJSON(raw: unknown, index: number): FieldSchema {
  const where = `schema.fields[${index}]`;
  const obj = asObject(raw, where);
  const info = asObject(obj.typeInfo ?? {}, `${where}.typeInfo`);
  if (typeof info.frame !== 'string') throw new SyntaxError(`frame JSON: ${where} has no typeInfo.frame`);
  const parsed = fieldTypeFromFrameName(info.frame);
  if (parsed === undefined) throw new SyntaxError(`frame JSON: ${where}: unknown type ${info.frame}`);
  const field: FieldSchema = {
    name: optionalString(obj.name, `${where}.name`),
    type: parsed.type,
    nullable: parsed.nullable || info.nullable === true,
  };
  if (obj.labels !== undefined && obj.labels !== null) {
    field.labels = asObject(obj.labels, `${where}.labels`) as Record<string, string>;
  }
  if (obj.config !== undefined && obj.config !== null)
    field.config = asObject(obj.config, `${where}.config`) as FieldConfig;
  return field;
}

/**
 * Reads a `data` object into per-field value arrays, then appends them in one appendColumns call so
 * that type or length errors leave the frame untouched.
 */
function readData(sc: JsonScanner, frame: Frame): void {
  const fields = frame.schema.fields;
  let values: unknown[][] | undefined;
  let entities: unknown[] | undefined;
  let nanos: unknown[] | undefined;
  sc.expect('{');
  for (let key = sc.nextKey(true); key !== undefined; key = sc.nextKey(false)) {
    if (key === 'values') values = readValues(sc, fields);
    else if (key === 'entities') entities = asArray(sc.readValue(), 'data.entities');
    // nanos are small integers (< 1e6), so JSON.parse is exact for them.
    else if (key === 'nanos') nanos = asArray(sc.readValue(), 'data.nanos');
    else sc.readRawValue(); // Go ignores unknown keys here too.
  }
  // "values":[] (or none) means no rows, as in Go.
  const columns = values ?? fields.map(() => []);
  if (entities !== undefined) applyEntities(columns, fields, entities);
  if (nanos !== undefined) applyNanos(columns, fields, nanos);
  frame.appendColumns(columns);
}

function readValues(sc: JsonScanner, fields: readonly FieldSchema[]): unknown[][] {
  const columns: unknown[][] = [];
  sc.expect('[');
  for (let first = true; sc.nextElement(first); first = false) {
    const field = fields[columns.length];
    if (field === undefined) throw sc.error(`data has more value arrays than the ${fields.length} fields`);
    const column = readColumn(sc, field.type, field.nullable);
    if (columns.length > 0 && column.length !== columns[0].length) {
      throw sc.error(`field #${columns.length} has ${column.length} values, field #0 has ${columns[0].length}`);
    }
    columns.push(column);
  }
  if (columns.length === 0) return fields.map(() => []);
  if (columns.length !== fields.length) {
    throw sc.error(`data has ${columns.length} value arrays for ${fields.length} fields`);
  }
  return columns;
}

function readColumn(sc: JsonScanner, type: FieldType, nullable: boolean): unknown[] {
  const out: unknown[] = [];
  sc.expect('[');
  for (let first = true; sc.nextElement(first); first = false) {
    // A json field that is not nullable keeps a literal null as the JSON text "null".
    if (!(type === 'json' && !nullable) && sc.acceptNull()) {
      out.push(null);
      continue;
    }
    out.push(readCell(sc, type));
  }
  return out;
}

function readCell(sc: JsonScanner, type: FieldType): unknown {
  switch (type) {
    case 'string':
      return sc.readString();
    case 'bool':
      return sc.readBoolean();
    case 'json':
      return sc.readRawValue();
    case 'int64':
    case 'uint64':
      // Go's reader also accepts uint64 as a quoted string.
      return parseInteger(sc.peek() === '"' ? sc.readString() : sc.readNumberText());
    case 'time': {
      // Epoch ms; Go truncates a fractional value.
      return Math.trunc(Number(sc.readNumberText()));
    }
    default:
      return Number(sc.readNumberText());
  }
}

/** Exact for integer digits of any size; other notations go through Number. */
function parseInteger(text: string): bigint | number {
  if (/^-?\d+$/.test(text)) return BigInt(text);
  const n = Number(text);
  return Number.isInteger(n) ? BigInt(n) : n;
}

/** `entities`: per field null or {NaN|Inf|NegInf: [rows]}; any other key means NaN, as in Go. */
function applyEntities(columns: unknown[][], fields: readonly FieldSchema[], entities: unknown[]): void {
  entities.forEach((entry, f) => {
    if (entry === null) return;
    const field = fields[f];
    if (field === undefined || !isFloatType(field.type)) {
      throw new SyntaxError(`frame JSON: entities given for non-float field #${f}`);
    }
    for (const [key, rows] of Object.entries(asObject(entry, `data.entities[${f}]`))) {
      const value = key === 'Inf' ? Infinity : key === 'NegInf' ? -Infinity : NaN;
      for (const row of asArray(rows, `data.entities[${f}].${key}`)) {
        checkRow(row, columns[f], `data.entities[${f}].${key}`);
        columns[f][row] = value;
      }
    }
  });
}

/** `nanos`: per field null or a full-length array of sub-millisecond ns added to the ms values. */
function applyNanos(columns: unknown[][], fields: readonly FieldSchema[], nanos: unknown[]): void {
  nanos.forEach((entry, f) => {
    if (entry === null) return;
    const field = fields[f];
    if (field === undefined || field.type !== 'time') {
      throw new SyntaxError(`frame JSON: nanos given for non-time field #${f}`);
    }
    const column = columns[f];
    asArray(entry, `data.nanos[${f}]`).forEach((ns, row) => {
      if (!Number.isInteger(ns)) throw new SyntaxError(`frame JSON: data.nanos[${f}][${row}] is not an integer`);
      const ms = column[row];
      if (typeof ms === 'number' && ns !== 0) column[row] = joinNanos(ms, 0) + BigInt(ns as number);
    });
  });
}

function checkRow(row: unknown, column: unknown[], where: string): asserts row is number {
  if (!(Number.isInteger(row) && (row as number) >= 0 && (row as number) < column.length)) {
    throw new SyntaxError(`frame JSON: ${where}: row ${String(row)} out of range`);
  }
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SyntaxError(`frame JSON: ${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new SyntaxError(`frame JSON: ${where} must be an array`);
  return value;
}

function optionalString(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new SyntaxError(`frame JSON: ${where} must be a string`);
  return value;
}
