import { clearBit, getBit, growBitmap, setBit } from './bitmap';
import type { FieldSchema } from './types';

/** One field's values. Rows are appended through Frame, which keeps all columns the same length. */
export interface Column {
  readonly field: FieldSchema;
  /** Position of the field in its frame. */
  readonly index: number;
  readonly length: number;
  readonly nullCount: number;
  /** The value in the representation appendRow accepts (time: epoch ms number; int64/uint64: bigint). */
  get(row: number): unknown;
  isNull(row: number): boolean;
  /** Exact epoch nanoseconds of a time field's row (null when null); throws for other field types. */
  getTimeNanos(row: number): bigint | null;
}

const MIN_CAPACITY = 16;

/**
 * Shared bookkeeping. Writes go to a row slot first and only `commit` makes them visible, so a value that
 * fails validation halfway through a row or batch leaves the frame unchanged (`abort`).
 */
export abstract class BaseColumn implements Column {
  protected capacity = 0;
  /** Bit-packed validity (1 = valid); only nullable fields have one. */
  validity: Uint8Array | null;
  private _length = 0;
  private _nullCount = 0;
  private pendingNulls = 0;
  /** Characters held by string/json columns, for Frame.estimatedBytes. */
  varChars = 0;
  protected pendingChars = 0;

  constructor(
    readonly field: FieldSchema,
    readonly index: number
  ) {
    this.validity = field.nullable ? new Uint8Array(0) : null;
  }

  get length(): number {
    return this._length;
  }

  get nullCount(): number {
    return this._nullCount;
  }

  /** Validates `value` and stores it in slot `row` (which may be beyond `length`). */
  abstract write(row: number, value: unknown): void;

  /** Stores `count` values of `src` from slot `start`; subclasses add typed-array fast paths. */
  writeMany(start: number, src: ArrayLike<unknown>, count: number): void {
    this.reserve(start + count);
    for (let i = 0; i < count; i++) this.write(start + i, src[i]);
  }

  abstract get(row: number): unknown;

  isNull(row: number): boolean {
    this.checkRow(row);
    return this.validity !== null && !getBit(this.validity, row);
  }

  getTimeNanos(_row: number): bigint | null {
    throw new TypeError(`${this.describe()} is not a time field`);
  }

  commit(length: number): void {
    this._length = length;
    this._nullCount += this.pendingNulls;
    this.pendingNulls = 0;
    this.varChars += this.pendingChars;
    this.pendingChars = 0;
  }

  abort(): void {
    this.pendingNulls = 0;
    this.pendingChars = 0;
  }

  /** Drops all rows but keeps the allocated buffers for the next chunk. */
  clear(): void {
    // No need to zero buffers: every write sets its slot and validity bit explicitly.
    this._length = 0;
    this._nullCount = 0;
    this.varChars = 0;
    this.abort();
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, this.capacity * 2, MIN_CAPACITY);
    this.resize(capacity);
    if (this.validity !== null) this.validity = growBitmap(this.validity, capacity);
    this.capacity = capacity;
  }

  /** Reallocates the value buffers to hold `capacity` rows, keeping their contents. */
  protected abstract resize(capacity: number): void;

  /** Records a valid value in slot `row` of a nullable column. */
  protected markValid(row: number): void {
    if (this.validity !== null) setBit(this.validity, row);
  }

  /** Records null in slot `row`; a non-nullable field must never silently store a zero value instead. */
  protected markNull(row: number, value: unknown): void {
    if (this.validity === null) {
      throw new TypeError(`${this.describe()} is not nullable, got ${String(value)}`);
    }
    clearBit(this.validity, row);
    this.pendingNulls++;
  }

  protected checkRow(row: number): void {
    if (!(row >= 0 && row < this._length)) {
      throw new RangeError(`row ${row} out of range [0, ${this._length}) in ${this.describe()}`);
    }
  }

  protected isValidRow(row: number): boolean {
    return this.validity === null || getBit(this.validity, row);
  }

  protected describe(): string {
    return `field #${this.index} "${this.field.name}" (${this.field.nullable ? 'nullable ' : ''}${this.field.type})`;
  }

  protected typeError(value: unknown, expected: string): TypeError {
    const got = value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
    return new TypeError(`${this.describe()}: expected ${expected}, got ${got} ${describeValue(value)}`);
  }

  protected rangeError(value: unknown, expected: string): RangeError {
    return new RangeError(`${this.describe()}: expected ${expected}, got ${describeValue(value)}`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}
