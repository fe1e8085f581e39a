import {
  decodeArrowFile,
  decodeFrameJSON,
  encodeArrowFile,
  encodeFrameJSON,
  type FieldType,
  type Frame,
} from '../../src/runtime/frames';
import { checkArrowFileStructure } from './arrow-structure';
import { snapshot } from './fixtures';
import { sdkTestdata } from './go-golden';

/** The SDK's goldenDF(): fields in order as [name, type, nullable]. */
const GOLDEN_FIELDS: [string, FieldType, boolean][] = [
  ['string_values', 'string', false],
  ['nullable_string_values', 'string', true],
  ['int8_values', 'int8', false],
  ['nullable_int8_values', 'int8', true],
  ['int16_values', 'int16', false],
  ['nullable_int16_values', 'int16', true],
  ['int32_values', 'int32', false],
  ['nullable_int32_values', 'int32', true],
  ['int64_values', 'int64', false],
  ['nullable_int64_values', 'int64', true],
  ['uint8_values', 'uint8', false],
  ['nullable_uint8_values', 'uint8', true],
  ['uint16_values', 'uint16', false],
  ['nullable_uint16_values', 'uint16', true],
  ['uint32_values', 'uint32', false],
  ['nullable_uint32_values', 'uint32', true],
  ['uint64_values', 'uint64', false],
  ['nullable_uint64_values', 'uint64', true],
  ['float32_values', 'float32', false],
  ['nullable_float32_values', 'float32', true],
  ['float32_values_nans', 'float32', false],
  ['nullable_float32_values_nans', 'float32', true],
  ['float64_values', 'float64', false],
  ['float64_nans', 'float64', false],
  ['nullable_float64_values', 'float64', true],
  ['nullable_float64_values_nans', 'float64', true],
  ['bool_values', 'bool', false],
  ['nullable_bool_values', 'bool', true],
  ['timestamps', 'time', false],
  ['timestamps', 'time', false],
  ['nullable_timestamps', 'time', true],
  ['json', 'json', false],
  ['nullable_json', 'json', true],
  ['enum', 'enum', false],
  ['nullable_enum', 'enum', true],
];

const F32_MAX = 3.4028234663852886e38;
const F32_TINY = 1.401298464324817e-45;

/** JSON cells compared as parsed values: Go's files differ only in whitespace. */
function semantic(frame: Frame) {
  const { schema, columns } = snapshot(frame);
  return {
    schema,
    columns: columns.map((values, i) =>
      schema.fields[i].type === 'json' ? values.map((v) => (v === null ? null : JSON.parse(v as string))) : values
    ),
  };
}

const column = (frame: Frame, name: string, nth = 0) =>
  snapshot(frame).columns[frame.schema.fields.map((f, i) => [f.name, i] as const).filter(([n]) => n === name)[nth][1]];

describe('Go SDK golden all_types', () => {
  const arrowBytes = sdkTestdata('all_types.golden.arrow');
  const goldenJSON = sdkTestdata('all_types.golden.json').toString('utf8');
  const fromArrow = decodeArrowFile(arrowBytes);
  const fromJSON = decodeFrameJSON(goldenJSON);

  it('is a structurally valid Arrow file (sanity check of the structure checker)', () => {
    expect(checkArrowFileStructure(arrowBytes)).toEqual({ batches: 1, dictionaries: 0 });
  });

  it('decodes schema, field types, nullability and metadata', () => {
    expect(fromArrow.length).toBe(5);
    expect(fromArrow.schema.name).toBe('many_types');
    expect(fromArrow.schema.refId).toBe('A');
    expect(fromArrow.schema.meta).toEqual({
      typeVersion: [0, 0],
      custom: { Hi: 'there' },
      stats: [{ displayName: 'sample', value: 1.234 }],
      channel: 'sample/channel/name',
      executedQueryString: 'SELECT * FROM table',
    });
    expect(fromArrow.schema.fields.map((f) => [f.name, f.type, f.nullable])).toEqual(GOLDEN_FIELDS);
    const fields = fromArrow.schema.fields;
    expect(fields[1].labels).toEqual({ aLabelKey: 'aLabelValue', bLabelKey: 'bLabelValue' });
    expect(fields[1].config?.noValue).toBe('😤');
    expect(fields[1].config?.min).toBeNull();
    expect(fields[2].config).toEqual({ min: 0, max: 1 });
    expect(fields[28].config).toEqual({ interval: 1000 });
    expect(fields[33].config).toEqual({ type: { enum: { text: ['', 'ONE', 'TWO', 'THREE'] } } });
  });

  it('decodes extreme values exactly', () => {
    const f = fromArrow;
    expect(column(f, 'nullable_string_values')).toEqual([
      'Grafana',
      '❤️',
      null,
      '🦥',
      'update your unicode/font if no sloth, is 2019.',
    ]);
    expect(column(f, 'int64_values')).toEqual([
      -(2n ** 63n),
      -9007199254740991n,
      1n,
      9007199254740991n,
      2n ** 63n - 1n,
    ]);
    expect(column(f, 'nullable_uint64_values')).toEqual([0n, 0n, null, 9007199254740991n, 2n ** 64n - 1n]);
    expect(column(f, 'int8_values')).toEqual([-128, -128, 0, 127, 127]);
    expect(column(f, 'uint32_values')).toEqual([0, 0, 1, 4294967295, 4294967295]);
    expect(column(f, 'float32_values')).toEqual([F32_TINY, F32_TINY, 1, F32_MAX, F32_MAX]);
    expect(column(f, 'float32_values_nans')).toEqual([NaN, Infinity, 1, -Infinity, 0]);
    expect(column(f, 'float64_values')).toEqual([5e-324, -9007199254740991, 1, 9007199254740991, Number.MAX_VALUE]);
    expect(column(f, 'nullable_float64_values_nans')).toEqual([-Infinity, 0, null, NaN, Infinity]);
    expect(column(f, 'nullable_bool_values')).toEqual([true, false, null, true, false]);
    const times = [0n, 1568039445000_000_000n, 1568039450000_000_000n, 9007199254740991n, 2n ** 63n - 1n];
    expect(column(f, 'timestamps', 0)).toEqual(times);
    expect(column(f, 'timestamps', 1)).toEqual(times);
    expect(column(f, 'nullable_timestamps')).toEqual([times[0], times[1], null, times[3], times[4]]);
    expect(column(f, 'json').map((v) => JSON.parse(v as string))).toEqual([
      { a: 1 },
      [1, 2, 3],
      { b: 2 },
      [{ c: 3 }, { d: 4 }],
      { e: { f: 5 } },
    ]);
    expect(column(f, 'nullable_json')[2]).toBeNull();
    expect(column(f, 'enum')).toEqual([1, 2, 2, 1, 1]);
    expect(column(f, 'nullable_enum')).toEqual([1, 2, null, 3, 0]);
  });

  it('golden JSON decodes to the same frame as the golden Arrow file', () => {
    expect(fromJSON.length).toBe(5);
    expect(semantic(fromJSON)).toEqual(semantic(fromArrow));
  });

  it('re-encodes to Arrow that decodes to the same frame', () => {
    const bytes = encodeArrowFile(fromArrow);
    expect(checkArrowFileStructure(bytes)).toEqual({ batches: 1, dictionaries: 0 });
    expect(semantic(decodeArrowFile(bytes))).toEqual(semantic(fromArrow));
  });

  it('re-encodes to frame JSON with the same entities and nanos as Go and the same values', () => {
    const ours = encodeFrameJSON(fromArrow, 'all');
    const golden = JSON.parse(goldenJSON);
    const parsed = JSON.parse(ours);
    expect(Object.keys(parsed.data)).toEqual(Object.keys(golden.data));
    expect(parsed.data.entities).toEqual(golden.data.entities);
    expect(parsed.data.nanos).toEqual(golden.data.nanos);
    expect(parsed.schema).toEqual(golden.schema);
    expect(semantic(decodeFrameJSON(ours))).toEqual(semantic(fromJSON));
  });
});
