import { BaseColumn } from './column';
import { writeAscii, writeInteger } from './ascii-writer';
import { MAX_INT64, MAX_UINT64, MIN_INT64 } from './time-math';
import type { FieldSchema } from './types';

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/**
 * int64/uint64 fields. One buffer seen both as BigInt64Array/BigUint64Array (Arrow data, bigint input) and
 * as int32 words, so safe-integer numbers are stored and printed without creating a BigInt per row.
 */
export class Int64Column extends BaseColumn {
  words = new Int32Array(0);
  big: BigInt64Array | BigUint64Array;
  private readonly unsigned: boolean;
  private readonly minBig: bigint;
  private readonly maxBig: bigint;

  constructor(field: FieldSchema, index: number) {
    super(field, index);
    this.unsigned = field.type === 'uint64';
    this.minBig = this.unsigned ? 0n : MIN_INT64;
    this.maxBig = this.unsigned ? MAX_UINT64 : MAX_INT64;
    this.big = this.unsigned ? new BigUint64Array(0) : new BigInt64Array(0);
  }

  write(row: number, value: unknown): void {
    if (row >= this.capacity) this.reserve(row + 1);
    if (typeof value === 'bigint') {
      if (value < this.minBig || value > this.maxBig) throw this.range(value);
      this.big[row] = value;
      this.markValid(row);
    } else if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw this.typeError(value, 'an integer number or bigint');
      if (value >= -TWO53 && value <= TWO53 && (value >= 0 || !this.unsigned)) {
        const hi = Math.floor(value / TWO32);
        this.words[2 * row] = (value - hi * TWO32) | 0;
        this.words[2 * row + 1] = hi | 0;
      } else {
        // Rare: integral floats beyond 2^53 (e.g. 2**60) are exact, so convert through BigInt.
        const big = BigInt(value);
        if (big < this.minBig || big > this.maxBig) throw this.range(value);
        this.big[row] = big;
      }
      this.markValid(row);
    } else if (value === null || value === undefined) {
      this.markNull(row, value);
      this.words[2 * row] = 0;
      this.words[2 * row + 1] = 0;
    } else {
      throw this.typeError(value, 'bigint or integer number');
    }
  }

  override writeMany(start: number, src: ArrayLike<unknown>, count: number): void {
    if ((this.unsigned ? src instanceof BigUint64Array : src instanceof BigInt64Array) && src.length === count) {
      this.reserve(start + count);
      this.big.set(src as BigInt64Array & BigUint64Array, start);
      if (this.validity !== null) for (let i = 0; i < count; i++) this.markValid(start + i);
      return;
    }
    super.writeMany(start, src, count);
  }

  get(row: number): bigint | null {
    this.checkRow(row);
    return this.isValidRow(row) ? this.big[row] : null;
  }

  /** Writes the exact decimal digits of slot `row` (whole 64-bit range); returns the new position. */
  writeDigits(buf: Buffer, pos: number, row: number): number {
    const hi = this.words[2 * row + 1];
    const lo = this.words[2 * row] >>> 0;
    if (this.unsigned ? hi >>> 0 < 0x200000 : hi >= -0x200000 && hi < 0x200000) {
      return writeInteger(buf, pos, (this.unsigned ? hi >>> 0 : hi) * TWO32 + lo);
    }
    return writeAscii(buf, pos, String(this.big[row]));
  }

  protected resize(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * 8);
    const words = new Int32Array(buffer);
    words.set(this.words);
    this.words = words;
    this.big = this.unsigned ? new BigUint64Array(buffer) : new BigInt64Array(buffer);
  }

  private range(value: unknown): RangeError {
    return this.rangeError(value, this.unsigned ? 'a uint64 in [0, 2^64-1]' : 'an int64 in [-2^63, 2^63-1]');
  }
}
