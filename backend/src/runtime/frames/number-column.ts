import { BaseColumn } from './column';
import type { FieldSchema, FieldType } from './types';

type NumberArray =
  Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;
type NumberArrayCtor = { new (length: number): NumberArray };

interface NumberKind {
  readonly ctor: NumberArrayCtor;
  /** Integer bounds; undefined for floats, which accept any number including NaN and ±Inf. */
  readonly min?: number;
  readonly max?: number;
}

const KINDS: Partial<Record<FieldType, NumberKind>> = {
  int8: { ctor: Int8Array, min: -128, max: 127 },
  int16: { ctor: Int16Array, min: -32768, max: 32767 },
  int32: { ctor: Int32Array, min: -2147483648, max: 2147483647 },
  uint8: { ctor: Uint8Array, min: 0, max: 255 },
  uint16: { ctor: Uint16Array, min: 0, max: 65535 },
  uint32: { ctor: Uint32Array, min: 0, max: 4294967295 },
  // An enum value is the uint16 index into config.type.enum.text.
  enum: { ctor: Uint16Array, min: 0, max: 65535 },
  float32: { ctor: Float32Array },
  float64: { ctor: Float64Array },
};

export function isNumberType(type: FieldType): boolean {
  return KINDS[type] !== undefined;
}

/** Fixed-width numeric fields held in a growable typed array of the Arrow type. */
export class NumberColumn extends BaseColumn {
  values: NumberArray;
  private readonly ctor: NumberArrayCtor;
  private readonly isInt: boolean;
  private readonly min: number;
  private readonly max: number;

  constructor(field: FieldSchema, index: number) {
    super(field, index);
    const kind = KINDS[field.type];
    if (kind === undefined) throw new TypeError(`not a numeric field type: ${field.type}`);
    this.ctor = kind.ctor;
    this.isInt = kind.min !== undefined;
    this.min = kind.min ?? -Infinity;
    this.max = kind.max ?? Infinity;
    this.values = new kind.ctor(0);
  }

  write(row: number, value: unknown): void {
    if (row >= this.capacity) this.reserve(row + 1);
    if (typeof value === 'number') {
      // A typed array would silently wrap or truncate; refuse instead of storing a different number.
      if (this.isInt && !(Number.isInteger(value) && value >= this.min && value <= this.max)) {
        throw this.rangeError(value, `an integer in [${this.min}, ${this.max}]`);
      }
      this.values[row] = value;
      this.markValid(row);
    } else if (value === null || value === undefined) {
      this.markNull(row, value);
      this.values[row] = 0;
    } else {
      throw this.typeError(value, 'number');
    }
  }

  override writeMany(start: number, src: ArrayLike<unknown>, count: number): void {
    // Same typed array type: every value is representable, so copy without per-value checks.
    if (src instanceof this.ctor && src.length === count) {
      this.reserve(start + count);
      this.values.set(src, start);
      if (this.validity !== null) for (let i = 0; i < count; i++) this.markValid(start + i);
      return;
    }
    super.writeMany(start, src, count);
  }

  get(row: number): number | null {
    this.checkRow(row);
    return this.isValidRow(row) ? this.values[row] : null;
  }

  protected resize(capacity: number): void {
    const grown = new this.ctor(capacity);
    grown.set(this.values);
    this.values = grown;
  }
}
