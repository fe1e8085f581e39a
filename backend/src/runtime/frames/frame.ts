import type { BaseColumn, Column } from './column';
import { createColumn } from './columns';
import { FIELD_TYPES } from './field-types';
import { normaliseSchema } from './schema';
import type { FrameSchema } from './types';

/**
 * A Grafana data frame under construction: a fixed schema plus growable columns. The chunked writer
 * appends rows, encodes, then calls clearRows() and reuses the allocated buffers for the next chunk.
 */
export class Frame {
  /** Frozen, validated deep copy of the schema passed in; meta always carries typeVersion. */
  readonly schema: FrameSchema;
  readonly columns: Column[];
  private readonly cols: BaseColumn[];
  private readonly stringCols: BaseColumn[];
  private readonly rowBytes: number;
  private rows = 0;

  constructor(schema: FrameSchema) {
    this.schema = normaliseSchema(schema);
    this.cols = this.schema.fields.map((field, i) => createColumn(field, i));
    const columns: Column[] = this.cols.slice();
    Object.freeze(columns);
    this.columns = columns;
    this.stringCols = this.cols.filter((c) => c.field.type === 'string' || c.field.type === 'json');
    this.rowBytes = this.schema.fields.reduce((sum, f) => sum + FIELD_TYPES[f.type].rowBytes, 0);
  }

  /** Row count. A frame without fields always has 0 rows, as in Go. */
  get length(): number {
    return this.rows;
  }

  /** Appends one row, one value per field. All-or-nothing: on a TypeError/RangeError no column changes. */
  appendRow(values: readonly unknown[]): void {
    const cols = this.cols;
    const n = cols.length;
    if (values.length !== n) {
      throw new RangeError(`appendRow: expected ${n} values, got ${values.length}`);
    }
    if (n === 0) return;
    const row = this.rows;
    try {
      for (let i = 0; i < n; i++) cols[i].write(row, values[i]);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.rows = row + 1;
    for (let i = 0; i < n; i++) cols[i].commit(this.rows);
  }

  /** Appends a batch given column-wise (all the same length). All-or-nothing like appendRow. */
  appendColumns(columns: readonly ArrayLike<unknown>[]): void {
    const cols = this.cols;
    if (columns.length !== cols.length) {
      throw new RangeError(`appendColumns: expected ${cols.length} columns, got ${columns.length}`);
    }
    if (cols.length === 0) return;
    const count = columns[0].length;
    for (let i = 1; i < columns.length; i++) {
      if (columns[i].length !== count) {
        throw new RangeError(`appendColumns: column ${i} has ${columns[i].length} values, column 0 has ${count}`);
      }
    }
    const start = this.rows;
    try {
      for (let i = 0; i < cols.length; i++) cols[i].writeMany(start, columns[i], count);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.rows = start + count;
    for (let i = 0; i < cols.length; i++) cols[i].commit(this.rows);
  }

  /** Drops all rows, keeping the schema and allocated capacity. */
  clearRows(): void {
    this.rows = 0;
    for (const c of this.cols) c.clear();
  }

  /**
   * Running estimate of the encoded size of the current rows: roughly their frame-JSON size, which is
   * at least their Arrow size. String lengths are counted in UTF-16 units, so non-ASCII text is
   * underestimated (up to 3x for CJK).
   */
  estimatedBytes(): number {
    let bytes = this.rows * this.rowBytes;
    for (let i = 0; i < this.stringCols.length; i++) bytes += this.stringCols[i].varChars;
    return bytes;
  }

  get(fieldIndex: number, row: number): unknown {
    return this.column(fieldIndex).get(row);
  }

  /** Exact epoch nanoseconds of a time field's row. */
  getTimeNanos(fieldIndex: number, row: number): bigint | null {
    return this.column(fieldIndex).getTimeNanos(row);
  }

  /** All values of one row, e.g. for tests and debugging. */
  getRow(row: number): unknown[] {
    return this.cols.map((c) => c.get(row));
  }

  private column(fieldIndex: number): Column {
    const col = this.cols[fieldIndex];
    if (col === undefined) throw new RangeError(`field index ${fieldIndex} out of range [0, ${this.cols.length})`);
    return col;
  }

  private abort(): void {
    for (const c of this.cols) c.abort();
  }
}

/** Encoders need the concrete column classes; kept out of the public Column interface. */
export function internalColumns(frame: Frame): readonly BaseColumn[] {
  return frame.columns as BaseColumn[];
}
