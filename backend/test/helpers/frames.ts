import * as pb from '../../src/generated/pluginv2/backend';
import { appendFrameJSONData, decodeArrowFile, decodeFrameJSON, Frame } from '../../src/runtime/frames';

/** A decoded QueryChunkedData message. */
export interface DecodedChunk {
  refId: string;
  frameId: string;
  status: number;
  error: string;
  errorSource: string;
  format: pb.DataFrameFormat;
  /** Rows in this chunk alone. */
  rows: number;
  /** The frame bytes as sent. */
  bytes: number;
  raw: Buffer;
  /** For JSON chunks: the parsed top-level object (to see whether it carries a schema). */
  json?: { schema?: unknown; data?: { values?: unknown[][] } };
  /** This chunk's rows as a frame (schema from the frameId's first chunk). */
  frame?: Frame;
}

/**
 * Decodes chunks the way Grafana's receivers do: Arrow chunks are complete IPC files; the first
 * JSON chunk of a (refId, frameId) has the schema and later ones only `data`.
 */
export function decodeChunks(messages: pb.QueryChunkedDataResponse[]): DecodedChunk[] {
  const schemas = new Map<string, Frame>();
  return messages.map((m) => {
    const chunk: DecodedChunk = {
      refId: m.refId,
      frameId: m.frameId,
      status: m.status,
      error: m.error,
      errorSource: m.errorSource,
      format: m.format,
      rows: 0,
      bytes: m.frame.length,
      raw: m.frame,
    };
    if (m.error) {
      return chunk;
    }
    if (m.format === pb.DataFrameFormat.ARROW) {
      chunk.frame = decodeArrowFile(m.frame);
    } else {
      const text = m.frame.toString('utf8');
      chunk.json = JSON.parse(text) as DecodedChunk['json'];
      const key = `${m.refId}\u0000${m.frameId}`;
      const first = schemas.get(key);
      if (first === undefined) {
        chunk.frame = decodeFrameJSON(text);
        schemas.set(key, chunk.frame);
      } else {
        chunk.frame = new Frame(first.schema);
        appendFrameJSONData(chunk.frame, text);
      }
    }
    chunk.rows = chunk.frame.length;
    return chunk;
  });
}

/** Every row of the frames, in order. */
export function rowsOf(frames: Frame[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const frame of frames) {
    for (let i = 0; i < frame.length; i++) {
      rows.push(frame.getRow(i));
    }
  }
  return rows;
}

/** The synthetic query's deterministic shape: time = from + i s, series = series-(i mod 10). */
export function expectSyntheticRows(rows: unknown[][], from: number): void {
  rows.forEach((row, i) => {
    if (row[0] !== from + i * 1000 || row[2] !== `series-${i % 10}` || typeof row[1] !== 'number') {
      throw new Error(`synthetic row ${i} is ${JSON.stringify(row)}`);
    }
  });
}
