import { BaseColumn } from './column';
import {
  joinNanos,
  MAX_INT64,
  MAX_TIME_MS,
  MIN_INT64,
  MIN_TIME_MS,
  type MsParts,
  readNsWords,
  splitNanos,
  writeNsWords,
} from './time-math';

const scratch: MsParts = { ms: 0, sub: 0 };

/**
 * Time fields: floor epoch ms (integers in a Float64Array) plus the 0..999999 ns below it, so the hot
 * path never needs a BigInt and negative times keep floor semantics (what Go's JSON writer emits).
 */
export class TimeColumn extends BaseColumn {
  ms = new Float64Array(0);
  sub = new Int32Array(0);
  private nsWords = new Int32Array(0);

  write(row: number, value: unknown): void {
    if (row >= this.capacity) this.reserve(row + 1);
    if (typeof value === 'number') {
      this.writeMs(row, value);
    } else if (typeof value === 'bigint') {
      if (value < MIN_INT64 || value > MAX_INT64) {
        throw this.rangeError(value, 'epoch nanoseconds within int64');
      }
      splitNanos(value, scratch);
      this.ms[row] = scratch.ms;
      this.sub[row] = scratch.sub;
      this.markValid(row);
    } else if (value instanceof Date) {
      this.writeMs(row, value.getTime());
    } else if (value === null || value === undefined) {
      this.markNull(row, value);
      this.ms[row] = 0;
      this.sub[row] = 0;
    } else {
      throw this.typeError(value, 'epoch ms number, epoch ns bigint or Date');
    }
  }

  override writeMany(start: number, src: ArrayLike<unknown>, count: number): void {
    // Epoch ms batches (handlers building columns): no per-value type dispatch.
    if (src instanceof Float64Array && src.length === count) {
      this.reserve(start + count);
      for (let i = 0; i < count; i++) this.writeMs(start + i, src[i]);
      return;
    }
    // Decoded Arrow timestamps arrive as int64 ns; convert from the words without BigInts.
    if (src instanceof BigInt64Array && src.length === count) {
      this.reserve(start + count);
      const words = new Int32Array(src.buffer, src.byteOffset, count * 2);
      for (let i = 0; i < count; i++) {
        readNsWords(words[2 * i + 1], words[2 * i], scratch);
        this.ms[start + i] = scratch.ms;
        this.sub[start + i] = scratch.sub;
        this.markValid(start + i);
      }
      return;
    }
    super.writeMany(start, src, count);
  }

  /** Epoch milliseconds (floor), or null. */
  get(row: number): number | null {
    this.checkRow(row);
    return this.isValidRow(row) ? this.ms[row] : null;
  }

  override getTimeNanos(row: number): bigint | null {
    this.checkRow(row);
    return this.isValidRow(row) ? joinNanos(this.ms[row], this.sub[row]) : null;
  }

  /**
   * Int64 nanoseconds of the first `length` rows (null rows hold 0), built in a buffer that is reused
   * by the next encode: apache-arrow copies it into the IPC output.
   */
  nanosecondWords(length: number): BigInt64Array {
    if (this.nsWords.length < length * 2) this.nsWords = new Int32Array(Math.max(this.capacity, length) * 2);
    const words = this.nsWords;
    for (let i = 0; i < length; i++) writeNsWords(words, i, this.ms[i], this.sub[i]);
    return new BigInt64Array(words.buffer, 0, length);
  }

  protected resize(capacity: number): void {
    const ms = new Float64Array(capacity);
    ms.set(this.ms);
    this.ms = ms;
    const sub = new Int32Array(capacity);
    sub.set(this.sub);
    this.sub = sub;
  }

  private writeMs(row: number, ms: number): void {
    if (!Number.isInteger(ms)) throw this.typeError(ms, 'integer epoch milliseconds');
    if (ms < MIN_TIME_MS || ms > MAX_TIME_MS) {
      throw this.rangeError(ms, 'epoch ms within the int64 nanosecond range (use a bigint for the extremes)');
    }
    this.ms[row] = ms;
    this.sub[row] = 0;
    this.markValid(row);
  }
}
