import { appendFrameJSONData, decodeArrowFile, decodeFrameJSON, Frame, FrameSchema } from '../runtime/frames';
import type { FrameFormat } from '../runtime/handlers';

/**
 * Turns each received chunk into a frame holding just that chunk's rows. JSON chunks after the
 * first of a frameId carry no schema, so the first one's is remembered.
 */
export class ChunkDecoder {
  private readonly schemas = new Map<string, FrameSchema>();

  constructor(private readonly format: FrameFormat) {}

  decode(refId: string, frameId: string, bytes: Uint8Array): Frame {
    if (this.format === 'arrow') {
      return decodeArrowFile(bytes);
    }
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const key = `${refId}\u0000${frameId}`;
    const schema = this.schemas.get(key);
    if (!schema) {
      const frame = decodeFrameJSON(text);
      this.schemas.set(key, frame.schema);
      return frame;
    }
    const frame = new Frame(schema);
    appendFrameJSONData(frame, text);
    return frame;
  }
}
