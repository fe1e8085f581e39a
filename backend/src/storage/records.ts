/**
 * Record framing shared by WAL segments and checkpoints: [u32 payload length][u32 CRC-32 of payload]
 * [payload], big-endian; payload[0] is the record type.
 *   SERIES  1: u32 id, u16 label count, per label: u16 name byte length, name, u32 value byte length, value
 *   SAMPLES 2: u32 count, per sample: u32 series id, f64 timestamp, u32 value bits hi, u32 value bits lo
 *   CHUNK   3: u32 series id, u32 byte length, XOR chunk bytes (checkpoints only)
 */
import { crc32 } from './crc32';
import { bitsAt } from './float-bits';
import { Label, Labels, utf8Length } from './labels';

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

/** Writes `str` (`n` UTF-8 bytes) at `o`; ASCII byte by byte, which beats a native call for label text. */
function putText(buf: Buffer, str: string, n: number, o: number): void {
  if (n === str.length) {
    for (let i = 0; i < n; i++) buf[o + i] = str.charCodeAt(i);
  } else {
    buf.write(str, o, n, 'utf8');
  }
}

/** One framed SERIES record, written in place (a new series used to cost two Buffers per label). */
export function encodeSeries(id: number, labels: Labels): Buffer {
  const n = labels.length;
  const lengths = new Array<number>(2 * n);
  let size = 1 + 4 + 2;
  for (let i = 0; i < n; i++) {
    lengths[2 * i] = utf8Length(labels[i].name);
    lengths[2 * i + 1] = utf8Length(labels[i].value);
    size += 2 + lengths[2 * i] + 4 + lengths[2 * i + 1];
  }
  const out = Buffer.allocUnsafe(FRAME_HEADER + size);
  let o = FRAME_HEADER;
  out[o] = REC_SERIES;
  out.writeUInt32BE(id, o + 1);
  out.writeUInt16BE(n, o + 5);
  o += 7;
  for (let i = 0; i < n; i++) {
    const nl = lengths[2 * i];
    const vl = lengths[2 * i + 1];
    out.writeUInt16BE(nl, o);
    putText(out, labels[i].name, nl, o + 2);
    o += 2 + nl;
    out.writeUInt32BE(vl, o);
    putText(out, labels[i].value, vl, o + 4);
    o += 4 + vl;
  }
  out.writeUInt32BE(size, 0);
  out.writeUInt32BE(crc32(out, FRAME_HEADER, FRAME_HEADER + size), 4);
  return out;
}

/**
 * Builds one SAMPLES record in place, sample by sample (the store writes accepted samples straight into
 * it), then frames it with `seal()`. Big-endian through a DataView, which V8 compiles to plain stores.
 */
export class SamplesRecord {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private n = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(FRAME_HEADER + 5 + capacity * 20);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  get count(): number {
    return this.n;
  }

  /** Adds a sample; the value as the high and low halves of its float64 bits (int32 or uint32). */
  add(id: number, t: number, hi: number, lo: number): void {
    const o = FRAME_HEADER + 5 + this.n * 20;
    const v = this.view;
    v.setUint32(o, id);
    v.setFloat64(o + 4, t);
    v.setUint32(o + 12, hi);
    v.setUint32(o + 16, lo);
    this.n++;
  }

  /** The framed record ([length][CRC][payload]). */
  seal(): Buffer {
    const len = 5 + this.n * 20;
    this.buf[FRAME_HEADER] = REC_SAMPLES;
    this.view.setUint32(FRAME_HEADER + 1, this.n);
    this.view.setUint32(0, len);
    this.view.setUint32(4, crc32(this.buf, FRAME_HEADER, FRAME_HEADER + len));
    return this.buf.subarray(0, FRAME_HEADER + len);
  }
}

/** Samples as parallel arrays; values are read through a Uint32Array view so NaN payloads survive. */
export function encodeSamples(ids: Uint32Array, ts: Float64Array, vs32: Uint32Array, n: number): Buffer {
  const rec = new SamplesRecord(n);
  for (let i = 0; i < n; i++) {
    const [hi, lo] = bitsAt(vs32, i);
    rec.add(ids[i], ts[i], hi, lo);
  }
  return rec.seal();
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
