import {
  appendFrameJSONData,
  decodeFrameJSON,
  encodeArrowFile,
  encodeFrameJSON,
  Frame,
  type FrameSchema,
} from '../../src/runtime/frames';
import { allTypesFrame, allTypesSchema, ROWS, rowValues, snapshot } from './fixtures';

const small: FrameSchema = {
  name: '',
  refId: 'A',
  meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
  fields: [
    { name: 'time', type: 'time', nullable: false },
    { name: 'value', type: 'float64', nullable: true, labels: { b: '2', a: '1' }, config: { unit: 's' } },
    { name: 'big', type: 'int64', nullable: false },
    { name: 'doc', type: 'json', nullable: true },
  ],
};

function smallFrame(): Frame {
  const frame = new Frame(small);
  frame.appendRow([1700000000000, 1.5, 2n ** 63n - 1n, '{"x":1}']);
  frame.appendRow([1700000000001123456n, NaN, -5n, null]);
  frame.appendRow([1700000000002, null, 9007199254740993n, '[1]']);
  frame.appendRow([1700000000003, -Infinity, 0, '"s"']);
  return frame;
}

const SMALL_SCHEMA_JSON =
  '{"refId":"A","meta":{"type":"timeseries-multi","typeVersion":[0,1]},"fields":[' +
  '{"name":"time","type":"time","typeInfo":{"frame":"time.Time"}},' +
  '{"name":"value","type":"number","typeInfo":{"frame":"float64","nullable":true},"labels":{"a":"1","b":"2"},"config":{"unit":"s"}},' +
  '{"name":"big","type":"number","typeInfo":{"frame":"int64"}},' +
  '{"name":"doc","type":"other","typeInfo":{"frame":"json.RawMessage","nullable":true}}]}';

const SMALL_DATA_JSON =
  '{"values":[[1700000000000,1700000000001,1700000000002,1700000000003],[1.5,null,null,null],' +
  '[9223372036854775807,-5,9007199254740993,0],[{"x":1},null,[1],"s"]],' +
  '"entities":[null,{"NaN":[1],"NegInf":[3]},null,null],"nanos":[[0,123456,0,0],null,null,null]}';

describe('encodeFrameJSON', () => {
  it('writes the Go frame JSON layout exactly (schema first, values before entities and nanos)', () => {
    const frame = smallFrame();
    expect(encodeFrameJSON(frame, 'all')).toBe(`{"schema":${SMALL_SCHEMA_JSON},"data":${SMALL_DATA_JSON}}`);
    expect(encodeFrameJSON(frame, 'schema')).toBe(`{"schema":${SMALL_SCHEMA_JSON}}`);
    expect(encodeFrameJSON(frame, 'data')).toBe(`{"data":${SMALL_DATA_JSON}}`);
  });

  it('omits entities and nanos when not needed, and writes floor ms for negative times', () => {
    const frame = new Frame(small);
    frame.appendRow([-1, 0.25, 1, null]);
    frame.appendRow([-1n, -0, 2, null]);
    expect(encodeFrameJSON(frame, 'data')).toBe(
      '{"data":{"values":[[-1,-1],[0.25,-0],[1,2],[null,null]],"nanos":[[0,999999],null,null,null]}}'
    );
    frame.clearRows();
    frame.appendRow([5, 1, 1, null]);
    expect(encodeFrameJSON(frame, 'data')).toBe('{"data":{"values":[[5],[1],[1],[null]]}}');
  });

  it('writes valid JSON for every type and extreme', () => {
    const text = encodeFrameJSON(allTypesFrame(), 'all');
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['schema', 'data']);
    expect(Object.keys(parsed.data)).toEqual(['values', 'entities', 'nanos']);
    expect(parsed.data.values).toHaveLength(allTypesSchema().fields.length);
    expect(text).toContain('[-9223372036854775808,9223372036854775807,0,9007199254740993,-9007199254740993,5]');
    expect(text).toContain('[0,18446744073709551615,1,9007199254740993,4294967296,5]');
    expect(text).toContain('"labels":{"10":"ten","9":"nine","alpha":"a","zeta":"z"}');
    expect(parsed.schema.fields[1]).toEqual({
      name: 'nullable_time',
      type: 'time',
      typeInfo: { frame: 'time.Time', nullable: true },
    });
    const emptyName = parsed.schema.fields[parsed.schema.fields.length - 1];
    expect(emptyName).toEqual({ type: 'string', typeInfo: { frame: 'string' } });
  });

  it('writes 0-row and no-field frames', () => {
    const empty = new Frame({ name: 'e', refId: 'A', fields: small.fields });
    expect(encodeFrameJSON(empty, 'data')).toBe('{"data":{"values":[[],[],[],[]]}}');
    const noFields = new Frame({
      name: '',
      refId: '',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [],
    });
    expect(encodeFrameJSON(noFields, 'all')).toBe(
      '{"schema":{"meta":{"type":"timeseries-multi","typeVersion":[0,1]},"fields":[]},"data":{"values":[]}}'
    );
  });

  it('escapes strings with JSON.stringify and nulls nullable strings', () => {
    const frame = new Frame({ name: '', refId: 'A', fields: [{ name: 's', type: 'string', nullable: true }] });
    frame.appendColumns([['a"b', null, '\u0000\n', '🦥', '\ud800']]);
    expect(encodeFrameJSON(frame, 'data')).toBe('{"data":{"values":[["a\\"b",null,"\\u0000\\n","🦥","\\ud800"]]}}');
  });

  it('writes booleans, small ints, enums and float32', () => {
    const frame = new Frame({
      name: '',
      refId: 'A',
      fields: [
        { name: 'b', type: 'bool', nullable: true },
        { name: 'u', type: 'uint32', nullable: false },
        { name: 'e', type: 'enum', nullable: false },
        { name: 'f', type: 'float32', nullable: false },
      ],
    });
    frame.appendRow([true, 4294967295, 3, 0.5]);
    frame.appendRow([null, 0, 0, NaN]);
    frame.appendRow([false, 7, 1, 0.1]);
    expect(encodeFrameJSON(frame, 'data')).toBe(
      '{"data":{"values":[[true,null,false],[4294967295,0,7],[3,0,1],[0.5,null,0.10000000149011612]],' +
        '"entities":[null,null,null,{"NaN":[1]}]}}'
    );
  });
});

describe('decodeFrameJSON', () => {
  it('round-trips every type exactly', () => {
    const frame = allTypesFrame();
    const decoded = decodeFrameJSON(encodeFrameJSON(frame, 'all'));
    expect(snapshot(decoded)).toEqual(snapshot(frame));
  });

  it('round-trips the small frame and a schema-only frame', () => {
    const frame = smallFrame();
    expect(snapshot(decodeFrameJSON(encodeFrameJSON(frame, 'all')))).toEqual(snapshot(frame));
    const schemaOnly = decodeFrameJSON(encodeFrameJSON(frame, 'schema'));
    expect(schemaOnly.length).toBe(0);
    expect(schemaOnly.schema).toEqual(frame.schema);
  });

  it('agrees with the Arrow encoding of the same frame', async () => {
    const { decodeArrowFile } = await import('../../src/runtime/frames');
    const frame = allTypesFrame();
    expect(snapshot(decodeFrameJSON(encodeFrameJSON(frame, 'all')))).toEqual(
      snapshot(decodeArrowFile(encodeArrowFile(frame)))
    );
  });

  it('accepts Go typeInfo aliases, *-prefixed nullable names and ignores "type"', () => {
    const frame = decodeFrameJSON(
      JSON.stringify({
        schema: {
          fields: [
            { name: 'a', type: 'string', typeInfo: { frame: 'int' } },
            { name: 'b', typeInfo: { frame: 'double' } },
            { name: 'c', typeInfo: { frame: '*float64' } },
            { name: 'd', typeInfo: { frame: 'boolean' } },
            { name: 'e', typeInfo: { frame: 'time' } },
            { name: 'f', typeInfo: { frame: 'json' } },
            { name: 'g', typeInfo: { frame: 'float', nullable: true } },
            { name: 'h', typeInfo: { frame: 'uint64' } },
          ],
        },
      })
    );
    expect(frame.schema.fields.map((f) => [f.type, f.nullable])).toEqual([
      ['int64', false],
      ['float64', false],
      ['float64', true],
      ['bool', false],
      ['time', false],
      ['json', false],
      ['float64', true],
      ['uint64', false],
    ]);
    expect(frame.schema.name).toBe('');
    expect(frame.schema.refId).toBe('');
  });

  it('reads int64/uint64 digits beyond 2^53 exactly, uint64 also quoted', () => {
    const frame = decodeFrameJSON(
      '{"schema":{"fields":[{"typeInfo":{"frame":"uint64"}},{"typeInfo":{"frame":"int64","nullable":true}}]},' +
        '"data":{"values":[["18446744073709551615",9007199254740993],[-9223372036854775808,null]]}}'
    );
    expect(frame.getRow(0)).toEqual([18446744073709551615n, -9223372036854775808n]);
    expect(frame.getRow(1)).toEqual([9007199254740993n, null]);
  });

  it('applies entities (unknown keys mean NaN) and nanos, also when nanos come first', () => {
    const frame = decodeFrameJSON(
      '{"schema":{"fields":[{"typeInfo":{"frame":"time.Time","nullable":true}},{"typeInfo":{"frame":"float32"}}]},' +
        '"data":{"nanos":[[5,0,999999],null],"values":[[1,null,-1],[null,null,null]],' +
        '"entities":[null,{"Inf":[0],"Undef":[1],"NegInf":[2]}]}}'
    );
    expect(frame.getTimeNanos(0, 0)).toBe(1_000_005n);
    expect(frame.getTimeNanos(0, 1)).toBeNull();
    expect(frame.getTimeNanos(0, 2)).toBe(-1n);
    expect([frame.get(1, 0), frame.get(1, 1), frame.get(1, 2)]).toEqual([Infinity, NaN, -Infinity]);
  });

  it('reads pretty-printed JSON with whitespace and escapes', () => {
    const frame = decodeFrameJSON(`{
      "schema" : { "name" : "n\\u00e9", "fields" : [ { "name" : "s", "typeInfo" : { "frame" : "string" } },
        { "name": "j", "typeInfo": { "frame": "json.RawMessage" } } ] },
      "data" : { "values" : [ [ "a\\"b" , "\\ud83e\\udda5" ], [ { "k" : [ 1 , 2 ] } , null ] ] }
    }`);
    expect(frame.schema.name).toBe('né');
    expect(frame.getRow(0)).toEqual(['a"b', '{ "k" : [ 1 , 2 ] }']);
    // A non-nullable json field keeps a literal null as JSON text.
    expect(frame.getRow(1)).toEqual(['🦥', 'null']);
  });

  it.each([
    ['data before schema', '{"data":{"values":[]},"schema":{"fields":[]}}', /data before schema/],
    ['data only', '{"data":{"values":[]}}', /data before schema|without schema/],
    ['no schema', '{}', /without schema/],
    ['unknown top-level key', '{"schema":{"fields":[]},"extra":1}', /unexpected field "extra"/],
    ['missing typeInfo.frame', '{"schema":{"fields":[{"name":"x","type":"number"}]}}', /no typeInfo.frame/],
    ['unknown typeInfo.frame', '{"schema":{"fields":[{"typeInfo":{"frame":"float16"}}]}}', /unknown type float16/],
    [
      'unequal lengths',
      '{"schema":{"fields":[{"typeInfo":{"frame":"int8"}},{"typeInfo":{"frame":"int8"}}]},"data":{"values":[[1,2],[1]]}}',
      /field #1 has 1 values/,
    ],
    [
      'too many arrays',
      '{"schema":{"fields":[{"typeInfo":{"frame":"int8"}}]},"data":{"values":[[1],[1]]}}',
      /more value arrays/,
    ],
    [
      'entities on an int field',
      '{"schema":{"fields":[{"typeInfo":{"frame":"int8"}}]},"data":{"values":[[1]],"entities":[{"NaN":[0]}]}}',
      /non-float/,
    ],
    [
      'nanos on a float field',
      '{"schema":{"fields":[{"typeInfo":{"frame":"float64"}}]},"data":{"values":[[1]],"nanos":[[1]]}}',
      /non-time/,
    ],
    [
      'null in non-nullable',
      '{"schema":{"fields":[{"typeInfo":{"frame":"int8"}}]},"data":{"values":[[null]]}}',
      /not nullable/,
    ],
    [
      'string in number field',
      '{"schema":{"fields":[{"typeInfo":{"frame":"int8"}}]},"data":{"values":[["1"]]}}',
      /number/,
    ],
    ['truncated', '{"schema":{"fields":[]},"data":{"values":[', /frame JSON/],
    ['trailing text', '{"schema":{"fields":[]}} x', /trailing/],
  ])('rejects %s', (_, json, message) => {
    expect(() => decodeFrameJSON(json)).toThrow(message);
  });

  it('treats "values":[] as zero rows', () => {
    const frame = decodeFrameJSON('{"schema":{"fields":[{"typeInfo":{"frame":"int8"}}]},"data":{"values":[]}}');
    expect(frame.length).toBe(0);
  });
});

describe('appendFrameJSONData (data-only chunks)', () => {
  it('reassembles a chunked frame: first chunk all, later chunks data only', () => {
    const schema = allTypesSchema();
    const writer = new Frame(schema);
    const whole = new Frame(schema);
    const chunks: string[] = [];
    for (let chunk = 0; chunk < 3; chunk++) {
      for (let r = 0; r < ROWS; r++) {
        writer.appendRow(rowValues(writer.schema, r));
        whole.appendRow(rowValues(whole.schema, r));
      }
      chunks.push(encodeFrameJSON(writer, chunk === 0 ? 'all' : 'data'));
      writer.clearRows();
    }
    expect(chunks[1].startsWith('{"data":')).toBe(true);
    const reader = decodeFrameJSON(chunks[0]);
    for (const chunk of chunks.slice(1)) appendFrameJSONData(reader, chunk);
    expect(reader.length).toBe(3 * ROWS);
    expect(snapshot(reader)).toEqual(snapshot(whole));
  });

  it('appends an empty chunk as no rows', () => {
    const frame = smallFrame();
    appendFrameJSONData(frame, encodeFrameJSON(new Frame(small), 'data'));
    expect(frame.length).toBe(4);
  });

  it.each([
    ['a schema', `{"schema":${SMALL_SCHEMA_JSON}}`, /may not include the schema/],
    ['an unknown key', '{"data":{"values":[[],[],[],[]]},"x":1}', /unexpected field "x"/],
    ['a wrong field count', '{"data":{"values":[[1],[1],[1]]}}', /3 value arrays for 4 fields/],
    ['a wrong value type', '{"data":{"values":[[1,2],[1,2],[1,"x"],[null,null]]}}', /"big"/],
  ])('rejects %s and leaves the frame unchanged', (_, json, message) => {
    const frame = smallFrame();
    const before = snapshot(frame);
    expect(() => appendFrameJSONData(frame, json)).toThrow(message);
    expect(snapshot(frame)).toEqual(before);
  });
});
