/**
 * Record framing shared by WAL segments and checkpoints: [u32 payload length][u32 CRC-32 of payload]
 * [payload], big-endian; payload[0] is the record type.
 *   SERIES  1: u32 id, u16 label count, per label: u16 name byte length, name, u32 value byte length, value
 *   SAMPLES 2: u32 count, per sample: u32 series id, f64 timestamp, u32 value bits hi, u32 value bits lo
 *   CHUNK   3: u32 series id, u32 byte length, XOR chunk bytes (checkpoints only)
 */
import { crc32 } from './crc32';
import { Label, Labels } from './labels';

export const REC_SERIES = 1;
export const REC_SAMPLES = 2;
export const REC_CHUNK = 3;
export const FRAME_HEADER = 8;

function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32(payload), 4);
  payload.copy(out, FRAME_HEADER);
  return out;
}

export function encodeSeries(id: number, labels: Labels): Buffer {
  const parts = labels.map((l) => [Buffer.from(l.name, 'utf8'), Buffer.from(l.value, 'utf8')]);
  let size = 1 + 4 + 2;
  for (const [n, v] of parts) size += 2 + n.length + 4 + v.length;
  const p = Buffer.allocUnsafe(size);
  let o = p.writeUInt8(REC_SERIES, 0);
  o = p.writeUInt32BE(id, o);
  o = p.writeUInt16BE(parts.length, o);
  for (const [n, v] of parts) {
    o = p.writeUInt16BE(n.length, o);
    o += n.copy(p, o);
    o = p.writeUInt32BE(v.length, o);
    o += v.copy(p, o);
  }
  return frame(p);
}

/** Samples as parallel arrays; values are read through a Uint32Array view so NaN payloads survive. */
export function encodeSamples(ids: Uint32Array, ts: Float64Array, vs32: Uint32Array, n: number): Buffer {
  const p = Buffer.allocUnsafe(1 + 4 + n * 20);
  p.writeUInt8(REC_SAMPLES, 0);
  p.writeUInt32BE(n, 1);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  let o = 5;
  for (let i = 0; i < n; i++) {
    p.writeUInt32BE(ids[i], o);
    p.writeDoubleBE(ts[i], o + 4);
    p.writeUInt32BE(little ? vs32[2 * i + 1] : vs32[2 * i], o + 12);
    p.writeUInt32BE(little ? vs32[2 * i] : vs32[2 * i + 1], o + 16);
    o += 20;
  }
  return frame(p);
}

export function encodeChunk(id: number, bytes: Uint8Array): Buffer {
  const p = Buffer.allocUnsafe(1 + 8 + bytes.length);
  p.writeUInt8(REC_CHUNK, 0);
  p.writeUInt32BE(id, 1);
  p.writeUInt32BE(bytes.length, 5);
  p.set(bytes, 9);
  return frame(p);
}

export type DecodedRecord =
  | { type: typeof REC_SERIES; id: number; labels: Labels }
  | { type: typeof REC_SAMPLES; ids: Uint32Array; ts: Float64Array; his: Uint32Array; los: Uint32Array }
  | { type: typeof REC_CHUNK; id: number; bytes: Uint8Array };

export class RecordError extends Error {}

export function decodePayload(p: Buffer): DecodedRecord {
  const type = p[0];
  if (type === REC_SERIES) {
    const id = p.readUInt32BE(1);
    const count = p.readUInt16BE(5);
    let o = 7;
    const labels: Label[] = [];
    for (let i = 0; i < count; i++) {
      const nl = p.readUInt16BE(o);
      const name = p.toString('utf8', o + 2, o + 2 + nl);
      o += 2 + nl;
      const vl = p.readUInt32BE(o);
      const value = p.toString('utf8', o + 4, o + 4 + vl);
      o += 4 + vl;
      labels.push({ name, value });
    }
    return { type, id, labels };
  }
  if (type === REC_SAMPLES) {
    const n = p.readUInt32BE(1);
    if (p.length !== 5 + n * 20) throw new RecordError('bad samples record length');
    const ids = new Uint32Array(n);
    const ts = new Float64Array(n);
    const his = new Uint32Array(n);
    const los = new Uint32Array(n);
    let o = 5;
    for (let i = 0; i < n; i++) {
      ids[i] = p.readUInt32BE(o);
      ts[i] = p.readDoubleBE(o + 4);
      his[i] = p.readUInt32BE(o + 12);
      los[i] = p.readUInt32BE(o + 16);
      o += 20;
    }
    return { type, ids, ts, his, los };
  }
  if (type === REC_CHUNK) {
    const id = p.readUInt32BE(1);
    const len = p.readUInt32BE(5);
    return { type, id, bytes: new Uint8Array(p.subarray(9, 9 + len)) };
  }
  throw new RecordError(`unknown record type ${type}`);
}

/**
 * Splits a file's bytes into payloads. Stops at the first torn or corrupt frame and reports the offset
 * of the end of the last good frame.
 */
export function readFrames(buf: Buffer): { payloads: Buffer[]; goodEnd: number; torn: boolean } {
  const payloads: Buffer[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + FRAME_HEADER > buf.length) return { payloads, goodEnd: o, torn: true };
    const len = buf.readUInt32BE(o);
    const crc = buf.readUInt32BE(o + 4);
    const end = o + FRAME_HEADER + len;
    if (len === 0 || end > buf.length || crc32(buf, o + FRAME_HEADER, end) !== crc) {
      return { payloads, goodEnd: o, torn: true };
    }
    payloads.push(buf.subarray(o + FRAME_HEADER, end));
    o = end;
  }
  return { payloads, goodEnd: o, torn: false };
}
