import { BoolColumn } from './bool-column';
import type { BaseColumn } from './column';
import { Int64Column } from './int64-column';
import { isNumberType, NumberColumn } from './number-column';
import { StringColumn } from './string-column';
import { TimeColumn } from './time-column';
import type { FieldSchema } from './types';

export function createColumn(field: FieldSchema, index: number): BaseColumn {
  switch (field.type) {
    case 'int64':
    case 'uint64':
      return new Int64Column(field, index);
    case 'time':
      return new TimeColumn(field, index);
    case 'string':
    case 'json':
      return new StringColumn(field, index);
    case 'bool':
      return new BoolColumn(field, index);
    default:
      if (isNumberType(field.type)) return new NumberColumn(field, index);
      throw new TypeError(`unknown field type ${String(field.type)}`);
  }
}
