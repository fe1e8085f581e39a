import { clearBit, getBit, growBitmap, setBit } from './bitmap';
import { BaseColumn } from './column';

/** bool fields, bit-packed like Arrow's Bool layout. */
export class BoolColumn extends BaseColumn {
  bits: Uint8Array = new Uint8Array(0);

  write(row: number, value: unknown): void {
    if (row >= this.capacity) this.reserve(row + 1);
    if (value === true) {
      setBit(this.bits, row);
      this.markValid(row);
    } else if (value === false) {
      clearBit(this.bits, row);
      this.markValid(row);
    } else if (value === null || value === undefined) {
      this.markNull(row, value);
      clearBit(this.bits, row);
    } else {
      throw this.typeError(value, 'boolean');
    }
  }

  get(row: number): boolean | null {
    this.checkRow(row);
    return this.isValidRow(row) ? getBit(this.bits, row) : null;
  }

  protected resize(capacity: number): void {
    this.bits = growBitmap(this.bits, capacity);
  }
}
