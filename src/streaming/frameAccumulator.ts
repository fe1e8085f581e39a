import {
  DataFrame,
  dataFrameFromJSON,
  DataFrameJSON,
  DataFrameSchema,
  Field,
  FieldValueEntityLookup,
  QueryResultMetaNotice,
  QueryResultMetaStat,
} from '@grafana/data';

import type { BrowserLimits } from '../settings';
import { formatInteger } from '../validation';
import { ProtocolError } from './events';

/** dataFrameFromJSON leaves each field's NaN/±Inf row indices in `entities`; consumers read them. */
type StreamedField = Field & { entities?: FieldValueEntityLookup };
type StreamedDataFrame = Omit<DataFrame, 'fields'> & { fields: StreamedField[] };

interface StreamedFrame {
  /** The first chunk's schema, reused to decode every later data-only chunk of the frame. */
  schema: DataFrameSchema;
  frame: StreamedDataFrame;
}

export interface ChunkResult {
  /** Rows the chunk carried, whether kept or not: what progress counts. */
  rows: number;
  /** Queries whose frames changed, including one that only gained a warning. */
  changed: string[];
}

/** Extra meta for a query's first frame: the progress runner's stats and notices. */
export interface FrameDecorations {
  stats?: QueryResultMetaStat[];
  notices?: QueryResultMetaNotice[];
}

/**
 * Builds each (refId, frameId) frame from its chunks. The first chunk goes through
 * dataFrameFromJSON; later data-only chunks are decoded with the cached schema the same way (so
 * entities and nanos are handled exactly as Grafana does) and their columns appended to the
 * frame's growing arrays, so nothing already received is copied again.
 * Frames past maxFrames and rows past maxRowsPerQuery are dropped, and a warning says so.
 */
export class FrameAccumulator {
  private readonly frames = new Map<string, StreamedFrame>();
  private readonly framesByRefId = new Map<string, StreamedFrame[]>();
  private readonly rowsByRefId = new Map<string, number>();
  private readonly cutRefIds = new Set<string>();
  /** Frames not kept, and why: later chunks of a 'rows' frame still cut its query. */
  private readonly dropped = new Map<string, 'frames' | 'rows'>();
  private droppedFrameCount = 0;
  /** The query holding the response's first frame, which carries the frame-limit warning. */
  private firstRefId?: string;

  constructor(private readonly limits: BrowserLimits) {}

  add(refId: string, frameId: string, json: DataFrameJSON): ChunkResult {
    const key = `${refId}\u0000${frameId}`;
    const existing = this.frames.get(key);
    if (existing) {
      return this.append(refId, existing, json);
    }
    const reason = this.dropped.get(key);
    if (reason) {
      const rows = rowCount(json);
      return reason === 'rows' && rows > 0 ? { rows, changed: this.cut(refId) } : { rows, changed: [] };
    }
    return this.open(refId, frameId, key, json);
  }

  refIds(): string[] {
    return [...this.framesByRefId.keys()];
  }

  isCut(refId: string): boolean {
    return this.cutRefIds.has(refId);
  }

  /**
   * The query's frames as new objects sharing the growing value arrays: cheap, and new identities
   * tell Grafana something changed. Fields only ever grow together inside one synchronous append,
   * so a snapshot never sees one column longer than another at the time it is taken.
   */
  snapshot(refId: string, decorations: FrameDecorations = {}): DataFrame[] {
    const warnings = this.warnings(refId);
    return (this.framesByRefId.get(refId) ?? []).map(({ frame }, index) => {
      const copy: DataFrame = { ...frame, fields: frame.fields.map((field) => ({ ...field })) };
      if (index > 0) {
        return copy;
      }
      const notices = [...warnings, ...(decorations.notices ?? [])];
      const stats = decorations.stats ?? [];
      if (notices.length === 0 && stats.length === 0) {
        return copy;
      }
      const meta = frame.meta ?? {};
      copy.meta = {
        ...meta,
        notices: [...(meta.notices ?? []), ...notices],
        stats: [...(meta.stats ?? []), ...stats],
      };
      return copy;
    });
  }

  private open(refId: string, frameId: string, key: string, json: DataFrameJSON): ChunkResult {
    if (!json.schema || !Array.isArray(json.schema.fields)) {
      throw new ProtocolError(`the first chunk of frame ${refId}/${frameId} has no schema`);
    }
    const schema = json.schema;
    const rows = rowCount(json);
    if (this.frames.size >= this.limits.maxFrames) {
      this.dropped.set(key, 'frames');
      this.droppedFrameCount++;
      return { rows, changed: this.firstRefId ? [this.firstRefId] : [] };
    }
    const budget = this.rowBudget(refId);
    if (budget === 0) {
      this.dropped.set(key, 'rows');
      return { rows, changed: rows > 0 ? this.cut(refId) : [] };
    }
    const decoded = dataFrameFromJSON(json);
    const changed = [refId];
    if (rows > budget) {
      truncate(decoded, budget);
      changed.push(...this.cut(refId));
    }
    decoded.refId = decoded.refId || refId;
    const streamed: StreamedFrame = { schema, frame: decoded };
    this.frames.set(key, streamed);
    this.framesByRefId.set(refId, [...(this.framesByRefId.get(refId) ?? []), streamed]);
    this.rowsByRefId.set(refId, (this.rowsByRefId.get(refId) ?? 0) + decoded.length);
    this.firstRefId ??= refId;
    return { rows, changed };
  }

  private append(refId: string, streamed: StreamedFrame, json: DataFrameJSON): ChunkResult {
    if (!json.data) {
      return { rows: 0, changed: [] };
    }
    const expected = streamed.schema.fields.length;
    if (!Array.isArray(json.data.values) || json.data.values.length !== expected) {
      throw new ProtocolError(
        `a chunk of frame ${refId} has ${json.data.values?.length ?? 0} columns, its schema has ${expected}`
      );
    }
    const part = dataFrameFromJSON({ schema: streamed.schema, data: json.data });
    const rows = part.length;
    const budget = this.rowBudget(refId);
    const changed: string[] = [];
    if (rows > budget) {
      truncate(part, budget);
      changed.push(...this.cut(refId));
    }
    if (part.length > 0) {
      appendColumns(streamed.frame, part);
      this.rowsByRefId.set(refId, (this.rowsByRefId.get(refId) ?? 0) + part.length);
      changed.push(refId);
    }
    return { rows, changed };
  }

  private rowBudget(refId: string): number {
    return Math.max(0, this.limits.maxRowsPerQuery - (this.rowsByRefId.get(refId) ?? 0));
  }

  /** Marks the query cut; returns it as changed the first time, so its warning gets emitted. */
  private cut(refId: string): string[] {
    if (this.cutRefIds.has(refId)) {
      return [];
    }
    this.cutRefIds.add(refId);
    return [refId];
  }

  private warnings(refId: string): QueryResultMetaNotice[] {
    const warnings: QueryResultMetaNotice[] = [];
    if (this.cutRefIds.has(refId)) {
      warnings.push({
        severity: 'warning',
        text:
          `Result cut: only the first ${formatInteger(this.limits.maxRowsPerQuery)} rows of this query are shown ` +
          `(datasource setting "Max rows per query"); later rows were dropped.`,
      });
    }
    if (this.droppedFrameCount > 0 && refId === this.firstRefId) {
      warnings.push({
        severity: 'warning',
        text:
          `Result cut: only the first ${formatInteger(this.limits.maxFrames)} frames are shown ` +
          `(datasource setting "Max frames"); ${formatInteger(this.droppedFrameCount)} more were dropped.`,
      });
    }
    return warnings;
  }
}

/** Appends a decoded chunk's columns in place; entity indices shift by the rows already there. */
function appendColumns(frame: StreamedDataFrame, part: StreamedDataFrame): void {
  const offset = frame.length;
  frame.fields.forEach((field, index) => {
    const chunk = part.fields[index];
    pushAll(field.values, chunk.values);
    if (chunk.entities && Object.keys(chunk.entities).length > 0) {
      field.entities ??= {};
      for (const [name, rows] of Object.entries(chunk.entities) as Array<[keyof FieldValueEntityLookup, number[]]>) {
        const target = (field.entities[name] ??= []);
        for (const row of rows) {
          target.push(row + offset);
        }
      }
    }
    if (chunk.nanos || field.nanos) {
      // nanos must stay full-length: rows of a chunk without them have no sub-millisecond part.
      field.nanos ??= new Array<number>(offset).fill(0);
      pushAll(field.nanos, chunk.nanos ?? new Array<number>(part.length).fill(0));
    }
  });
  frame.length = offset + part.length;
}

/** Keeps the first `rows` rows of a freshly decoded frame (its arrays are not shared yet). */
function truncate(frame: StreamedDataFrame, rows: number): void {
  for (const field of frame.fields) {
    field.values.length = rows;
    if (field.nanos) {
      field.nanos.length = rows;
    }
    if (field.entities) {
      for (const name of Object.keys(field.entities) as Array<keyof FieldValueEntityLookup>) {
        field.entities[name] = field.entities[name]?.filter((row) => row < rows);
      }
    }
  }
  frame.length = rows;
}

/** push(...values) overflows the stack on large chunks; a loop does not. */
function pushAll<T>(target: T[], values: T[]): void {
  for (let i = 0; i < values.length; i++) {
    target.push(values[i]);
  }
}

function rowCount(json: DataFrameJSON): number {
  return (json.data?.values ?? []).reduce((max, column) => Math.max(max, column?.length ?? 0), 0);
}
