import { type FieldSchema, type FieldType, Frame, type FrameSchema } from '../../src/runtime/frames';

/** Every field type in non-null and nullable form, with labels/config on some fields and frame meta. */
export const ALL_TYPES: readonly FieldType[] = [
  'time',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'string',
  'bool',
  'json',
  'enum',
];

export function allTypesSchema(): FrameSchema {
  const fields: FieldSchema[] = [];
  for (const type of ALL_TYPES) {
    fields.push({ name: type, type, nullable: false });
    fields.push({ name: `nullable_${type}`, type, nullable: true });
  }
  fields[0].config = { interval: 1000 };
  fields[2].labels = { zeta: 'z', alpha: 'a', '10': 'ten', '9': 'nine' };
  fields[3].labels = {};
  fields[3].config = {};
  const enumField = fields.find((f) => f.type === 'enum' && !f.nullable);
  if (enumField) enumField.config = { type: { enum: { text: ['', 'ONE', 'TWO'] } } };
  fields.push({ name: 'nullable_float64', type: 'float64', nullable: true }); // duplicate name
  fields.push({ name: '', type: 'string', nullable: false }); // empty name
  return {
    name: 'all types ❤️',
    refId: 'A',
    meta: {
      type: 'table',
      custom: { Hi: 'there', n: 1 },
      notices: [{ severity: 'warning', text: 'careful', inspect: 1 }],
      executedQueryString: 'SELECT 1',
    },
    fields,
  };
}

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_POS = 1.401298464324817e-45;

/** Row values per type: extremes in rows 0/1, NaN/±Inf, sub-ms, negative and MaxInt64 ns times. */
const VALUES: Record<FieldType, unknown[]> = {
  time: [
    -1,
    9223372036854775807n,
    1568039445123,
    1568039445123456789n,
    -1n, // 1 ns before the epoch: ms -1, sub-ms 999999
    -9223372036854775808n,
  ],
  int8: [-128, 127, 0, 1, -1, 5],
  int16: [-32768, 32767, 0, 1, -1, 5],
  int32: [-2147483648, 2147483647, 0, 1, -1, 5],
  int64: [-(2n ** 63n), 2n ** 63n - 1n, 0n, 9007199254740993n, -9007199254740993n, 5],
  uint8: [0, 255, 1, 2, 3, 4],
  uint16: [0, 65535, 1, 2, 3, 4],
  uint32: [0, 4294967295, 1, 2, 3, 4],
  uint64: [0n, 2n ** 64n - 1n, 1n, 9007199254740993n, 4294967296n, 5],
  float32: [-F32_MAX, F32_MAX, NaN, F32_MIN_POS, -Infinity, Infinity],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE, NaN, 5e-324, -0, Infinity],
  string: ['', '🦥 ❤️ grafana', 'plain', 'quote " backslash \\ newline \n tab \t nul \u0000', '<&>', 'é'],
  bool: [false, true, true, false, true, false],
  json: ['{"a":1}', '[1,2,3]', 'null', '"str"', '{"nested":{"x":[1.5e300,null,true]}}', '12345678901234567890'],
  enum: [0, 65535, 1, 2, 0, 1],
};

export const ROWS = 6;
/** Nullable fields are null in this row. */
export const NULL_ROW = 2;

export function allTypesFrame(): Frame {
  const frame = new Frame(allTypesSchema());
  for (let r = 0; r < ROWS; r++) frame.appendRow(rowValues(frame.schema, r));
  return frame;
}

export function rowValues(schema: FrameSchema, r: number): unknown[] {
  return schema.fields.map((f) => (f.nullable && r === NULL_ROW ? null : VALUES[f.type][r]));
}

/** Exact comparable contents: times as ns bigints, floats via Object.is-based toEqual. */
export function snapshot(frame: Frame): { schema: FrameSchema; columns: unknown[][] } {
  const columns = frame.columns.map((col) =>
    Array.from({ length: frame.length }, (_, r) => (col.field.type === 'time' ? col.getTimeNanos(r) : col.get(r)))
  );
  return { schema: frame.schema, columns };
}
