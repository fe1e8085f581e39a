import type { FieldType } from './types';

/** Grafana's "simple" type: Arrow `tstype` metadata and frame-JSON `type` (frames.md §1.3). */
export type SimpleType = 'number' | 'string' | 'boolean' | 'time' | 'other' | 'enum';

interface FieldTypeInfo {
  readonly simple: SimpleType;
  /** frame-JSON `typeInfo.frame` (Go item type name). */
  readonly frameName: string;
  /**
   * Per-row size estimate in bytes, roughly the frame-JSON size (value plus separator), which is at least
   * the Arrow size for every type; strings and JSON add their character count on top.
   */
  readonly rowBytes: number;
}

export const FIELD_TYPES: Readonly<Record<FieldType, FieldTypeInfo>> = {
  int8: { simple: 'number', frameName: 'int8', rowBytes: 5 },
  int16: { simple: 'number', frameName: 'int16', rowBytes: 7 },
  int32: { simple: 'number', frameName: 'int32', rowBytes: 12 },
  int64: { simple: 'number', frameName: 'int64', rowBytes: 21 },
  uint8: { simple: 'number', frameName: 'uint8', rowBytes: 4 },
  uint16: { simple: 'number', frameName: 'uint16', rowBytes: 6 },
  uint32: { simple: 'number', frameName: 'uint32', rowBytes: 11 },
  uint64: { simple: 'number', frameName: 'uint64', rowBytes: 21 },
  float32: { simple: 'number', frameName: 'float32', rowBytes: 16 },
  float64: { simple: 'number', frameName: 'float64', rowBytes: 22 },
  string: { simple: 'string', frameName: 'string', rowBytes: 4 },
  bool: { simple: 'boolean', frameName: 'bool', rowBytes: 6 },
  time: { simple: 'time', frameName: 'time.Time', rowBytes: 14 },
  json: { simple: 'other', frameName: 'json.RawMessage', rowBytes: 4 },
  enum: { simple: 'enum', frameName: 'enum', rowBytes: 6 },
};

export function isFieldType(t: unknown): t is FieldType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(FIELD_TYPES, t);
}

/** Names the Go reader accepts in `typeInfo.frame`, including its aliases (data/field_type.go). */
const FRAME_NAME_ALIASES: Readonly<Record<string, FieldType>> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int: 'int64',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  float32: 'float32',
  double: 'float64',
  float: 'float64',
  float64: 'float64',
  string: 'string',
  bool: 'bool',
  boolean: 'bool',
  time: 'time',
  'time.Time': 'time',
  json: 'json',
  'json.RawMessage': 'json',
  enum: 'enum',
};

/** Parses `typeInfo.frame`; a `*` prefix means nullable, as in Go. Returns undefined for unknown names. */
export function fieldTypeFromFrameName(name: string): { type: FieldType; nullable: boolean } | undefined {
  const nullable = name.startsWith('*');
  const base = nullable ? name.slice(1) : name;
  // `*int`, `*double`… are not Go names, but accepting them is harmless.
  const type = Object.prototype.hasOwnProperty.call(FRAME_NAME_ALIASES, base) ? FRAME_NAME_ALIASES[base] : undefined;
  return type === undefined ? undefined : { type, nullable };
}

export function isFloatType(t: FieldType): boolean {
  return t === 'float32' || t === 'float64';
}
