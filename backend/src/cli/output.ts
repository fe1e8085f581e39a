import type { Frame } from '../runtime/frames';

export type OutputFormat = 'table' | 'csv' | 'jsonl';

/**
 * Prints frames chunk by chunk as they arrive, so an export of millions of rows never sits in
 * memory. A new frame (refId + frameId) starts with its own header.
 */
export class RowPrinter {
  private current?: string;
  private widths: number[] = [];
  printed = 0;

  constructor(
    private readonly format: OutputFormat,
    private readonly write: (text: string) => Promise<void>,
    private readonly maxRows = Infinity
  ) {}

  get full(): boolean {
    return this.printed >= this.maxRows;
  }

  async print(refId: string, frameId: string, frame: Frame): Promise<void> {
    const rows = Math.min(frame.length, this.maxRows - this.printed);
    if (rows <= 0) {
      return;
    }
    const key = `${refId}/${frameId}`;
    const lines: string[] = [];
    if (key !== this.current) {
      this.current = key;
      lines.push(...this.header(refId, frame));
    }
    for (let row = 0; row < rows; row++) {
      lines.push(this.line(refId, frame, row));
    }
    this.printed += rows;
    await this.write(lines.join('\n') + '\n');
  }

  private header(refId: string, frame: Frame): string[] {
    const names = frame.schema.fields.map((f) => f.name);
    switch (this.format) {
      case 'csv':
        return [names.map(csvEscape).join(',')];
      case 'jsonl':
        return [];
      case 'table': {
        this.widths = names.map((name, field) =>
          Math.max(name.length, ...sampleRows(frame).map((row) => cell(frame, field, row).length))
        );
        // a series frame (PromQL) names its series by the labels on its value field
        const labels = frame.schema.fields.find((f) => f.labels !== undefined)?.labels;
        const series = labels
          ? ` · {${Object.entries(labels)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(', ')}}`
          : '';
        const title = `${refId}${frame.schema.name ? ` · ${frame.schema.name}` : ''}${series}`;
        return [
          this.printed > 0 ? `\n${title}` : title,
          names.map((n, i) => n.padEnd(this.widths[i])).join('  '),
          this.widths.map((w) => '-'.repeat(w)).join('  '),
        ];
      }
    }
  }

  private line(refId: string, frame: Frame, row: number): string {
    const fields = frame.schema.fields;
    switch (this.format) {
      case 'csv':
        return fields.map((_, i) => csvEscape(cell(frame, i, row))).join(',');
      case 'jsonl': {
        const object: Record<string, unknown> = { refId };
        fields.forEach((field, i) => (object[field.name] = jsonValue(frame, i, row)));
        return JSON.stringify(object);
      }
      case 'table':
        return fields.map((_, i) => cell(frame, i, row).padEnd(this.widths[i] ?? 0)).join('  ');
    }
  }
}

function sampleRows(frame: Frame): number[] {
  return Array.from({ length: Math.min(frame.length, 50) }, (_, i) => i);
}

function cell(frame: Frame, field: number, row: number): string {
  const value = frame.get(field, row);
  if (value === null || value === undefined) {
    return '';
  }
  const type = frame.schema.fields[field].type;
  if (type === 'time' && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  return typeof value === 'string' ? value : String(value);
}

function jsonValue(frame: Frame, field: number, row: number): unknown {
  const value = frame.get(field, row);
  const type = frame.schema.fields[field].type;
  if (value === null || value === undefined) {
    return null;
  }
  if (type === 'time' && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  if (type === 'json' && typeof value === 'string') {
    return JSON.parse(value);
  }
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  return value;
}

function csvEscape(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
