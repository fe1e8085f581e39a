import type { DataFrameJSON } from '@grafana/data';

/**
 * What a streamed line means, whichever transport carried it. Both wire formats (the backend's
 * NDJSON and Grafana's JSONL) are parsed into these, so one runner handles both.
 */
export type StreamEvent = FrameEvent | ProgressEvent | ErrorEvent | EndEvent;

/** A chunk of frame `frameId`: schema + data the first time, data only after that. */
export interface FrameEvent {
  type: 'frame';
  refId: string;
  frameId: string;
  frame: DataFrameJSON;
}

/**
 * The backend's own count for a query; `total` when it knows how many rows will come, series done
 * of total and samples scanned when the query reports them (PromQL).
 */
export interface ProgressEvent {
  type: 'progress';
  refId: string;
  rows: number;
  total?: number;
  seriesDone?: number;
  seriesTotal?: number;
  samplesScanned?: number;
}

/** A query's error, or the whole request's when refId is absent. */
export interface ErrorEvent {
  type: 'error';
  refId?: string;
  status?: number;
  message: string;
  errorSource?: string;
}

/** The explicit end of a complete stream; a body that stops without it was cut short. */
export interface EndEvent {
  type: 'end';
}

/** A line that does not follow the wire format; the stream cannot be trusted after it. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function parseJSONObject(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new ProtocolError(`a line is not JSON (${(error as Error).message}): ${preview(line)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError(`a line is not a JSON object: ${preview(line)}`);
  }
  return value as Record<string, unknown>;
}

export function requireString(line: Record<string, unknown>, key: string): string {
  const value = line[key];
  if (typeof value !== 'string' || value === '') {
    throw new ProtocolError(`a ${String(line.type ?? 'stream')} line has no "${key}"`);
  }
  return value;
}

export function requireFrame(line: Record<string, unknown>): DataFrameJSON {
  const frame = line.frame;
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    throw new ProtocolError(`the frame line for ${String(line.refId)}/${String(line.frameId)} has no frame object`);
  }
  return frame as DataFrameJSON;
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function preview(line: string): string {
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
