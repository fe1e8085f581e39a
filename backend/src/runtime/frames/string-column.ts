import { BaseColumn } from './column';

/**
 * string and json fields. Values stay JS strings (null slots hold "") and are UTF-8 encoded only when an
 * Arrow frame is written. A json value is the raw JSON text, spliced unquoted into frame JSON.
 */
export class StringColumn extends BaseColumn {
  values: string[] = [];

  write(row: number, value: unknown): void {
    if (row >= this.capacity) this.reserve(row + 1);
    if (typeof value === 'string') {
      // Cheap guard only (no full JSON validation on the hot path): an empty json cell would splice
      // nothing into frame JSON and corrupt the whole response (frames.md §6.8).
      if (this.field.type === 'json' && isBlank(value)) {
        throw this.typeError(value, 'JSON text (use "null" or a null cell, not an empty string)');
      }
      this.values[row] = value;
      this.pendingChars += value.length;
      this.markValid(row);
    } else if (value === null || value === undefined) {
      this.markNull(row, value);
      this.values[row] = '';
    } else {
      throw this.typeError(value, this.field.type === 'json' ? 'JSON text string' : 'string');
    }
  }

  get(row: number): string | null {
    this.checkRow(row);
    return this.isValidRow(row) ? this.values[row] : null;
  }

  protected resize(_capacity: number): void {
    // A JS array grows by itself; slots are always written in order.
  }
}

function isBlank(s: string): boolean {
  return s.length === 0 || (s.charCodeAt(0) <= 32 && s.trim().length === 0);
}
