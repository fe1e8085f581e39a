/**
 * The success body of a query, written as bytes into fixed-size chunks that are handed out while the
 * rest is still being written. A range query's body can be hundreds of megabytes: building it as one
 * string cost more than the query (template strings, a join, then UTF-8 encoding of the whole), and
 * its memory doubled the result's. Timestamps are written digit by digit; values keep the exact text
 * of formatSampleValue, so the bytes are those of format.ts' string encoders.
 */
import type { QueryResult } from '../engine';
import { formatFloat } from '../engine';
import { formatSampleValue, jsoniterString, jsonString, labelsJson } from './format';

const CHUNK_BYTES = 1 << 20;
/** Sent chunks kept for reuse: enough for a few bodies in flight, 16 MiB at most. */
const POOLED_CHUNKS = 16;
const pooled: ArrayBuffer[] = [];

/**
 * Gives back a chunk of a body (from successBody) once it has been written out: the next bodies fill
 * its memory again instead of allocating. A range query's answer is hundreds of these 1 MiB chunks,
 * and allocating them anew cost page faults and garbage collections that landed on later queries.
 * The caller must not touch the chunk afterwards. Chunks of other sizes are left to the GC.
 */
export function recycleChunk(chunk: Buffer): void {
  const memory = chunk.buffer;
  if (memory instanceof ArrayBuffer && memory.byteLength === CHUNK_BYTES && chunk.byteOffset === 0) {
    if (pooled.length < POOLED_CHUNKS && !pooled.includes(memory)) pooled.push(memory);
  }
}

function newChunk(bytes: number): Buffer {
  const memory = bytes === CHUNK_BYTES ? pooled.pop() : undefined;
  return memory !== undefined ? Buffer.from(memory) : Buffer.allocUnsafeSlow(bytes);
}
/** Room per cached timestamp text: "-" and 16 digits, ".", 3 decimals. */
const TIMESTAMP_BYTES = 24;
const QUOTE = 0x22;
const COMMA = 0x2c;

export class ByteChunks {
  /** Full chunks not yet taken. */
  private ready: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.buf = newChunk(chunkBytes);
  }

  /** The chunks filled so far (the one being written stays). */
  take(): Buffer[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Everything written, the partly filled chunk included; the writer must not be used afterwards. */
  finish(): Buffer[] {
    if (this.pos > 0) this.ready.push(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return this.take();
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) this.ready.push(this.buf.subarray(0, this.pos));
    this.buf = newChunk(Math.max(n, this.chunkBytes));
    this.pos = 0;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A string known to be ASCII (numbers, keys, punctuation). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** Any string, as UTF-8. */
  text(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += this.buf.write(s, this.pos);
  }

  /** jsonutil.MarshalTimestamp: integer milliseconds as seconds with exactly 0 or 3 decimals. */
  timestamp(ms: number): void {
    this.room(TIMESTAMP_BYTES);
    this.pos = writeTimestamp(this.buf, this.pos, ms);
  }

  /**
   * A matrix series' `[t,"v"],…` points. The timestamp text of point i is kept in `texts` and reused
   * while the next series has the same timestamp at i, as a range query's series nearly always do;
   * integer values are written without making a string.
   */
  points(timestamps: ArrayLike<number>, values: ArrayLike<number>, texts: TimestampTexts): void {
    texts.ensure(timestamps.length);
    const { keys, bytes, lengths } = texts;
    for (let i = 0; i < timestamps.length; i++) {
      const ms = timestamps[i];
      if (keys[i] !== ms) {
        lengths[i] = writeTimestamp(bytes, i * TIMESTAMP_BYTES, ms) - i * TIMESTAMP_BYTES;
        keys[i] = ms;
      }
      const v = values[i];
      const value = Number.isInteger(v) && v > -1e15 && v < 1e15 ? '' : formatSampleValue(v);
      this.room(TIMESTAMP_BYTES + value.length + 24);
      const buf = this.buf;
      let pos = this.pos;
      if (i > 0) buf[pos++] = COMMA;
      buf[pos++] = 0x5b;
      const len = lengths[i];
      const at = i * TIMESTAMP_BYTES;
      for (let k = 0; k < len; k++) buf[pos++] = bytes[at + k];
      buf[pos++] = COMMA;
      buf[pos++] = QUOTE;
      if (value === '') {
        pos = writeInteger(buf, pos, v);
      } else {
        for (let k = 0; k < value.length; k++) buf[pos++] = value.charCodeAt(k);
      }
      buf[pos++] = QUOTE;
      buf[pos++] = 0x5d;
      this.pos = pos;
    }
  }
}

/** The timestamp texts of the points of the last series written, by position. */
class TimestampTexts {
  keys = new Float64Array(0);
  bytes = new Uint8Array(0);
  lengths = new Uint8Array(0);

  ensure(n: number): void {
    if (n <= this.keys.length) return;
    this.keys = new Float64Array(n).fill(NaN);
    this.bytes = new Uint8Array(n * TIMESTAMP_BYTES);
    this.lengths = new Uint8Array(n);
  }
}

/** jsonutil.MarshalTimestamp at buf[pos]: integer milliseconds as seconds with 0 or 3 decimals. */
function writeTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  const neg = ms < 0;
  const abs = neg ? -ms : ms;
  const seconds = Math.floor(abs / 1000);
  const fraction = abs - seconds * 1000;
  if (neg) buf[pos++] = 0x2d;
  pos = writeDigits(buf, pos, seconds);
  if (fraction !== 0) {
    buf[pos] = 0x2e;
    buf[pos + 1] = 0x30 + Math.floor(fraction / 100);
    buf[pos + 2] = 0x30 + (Math.floor(fraction / 10) % 10);
    buf[pos + 3] = 0x30 + (fraction % 10);
    pos += 4;
  }
  return pos;
}

/** An integer |x| < 2^53 in decimal at buf[pos] (-0 as "-0", as Go writes it); returns the position after it. */
function writeInteger(buf: Uint8Array, pos: number, x: number): number {
  if (x < 0 || Object.is(x, -0)) {
    buf[pos++] = 0x2d;
    return writeDigits(buf, pos, -x);
  }
  return writeDigits(buf, pos, x);
}

/** A non-negative integer below 2^53 (the sign of zero ignored). */
function writeDigits(buf: Uint8Array, pos: number, x: number): number {
  let len = 1;
  for (let p = 10; p <= x && len < 16; p *= 10) len++;
  let at = pos + len;
  while (x > 0x7fffffff) {
    const q = Math.floor(x / 10);
    buf[--at] = 0x30 + (x - q * 10);
    x = q;
  }
  let i = x | 0;
  do {
    const q = (i / 10) | 0;
    buf[--at] = 0x30 + (i - q * 10);
    i = q;
  } while (i > 0);
  return pos + len;
}

/** Whether Prometheus' `limit` parameter cuts the result (0: no limit). */
export function truncatedByLimit(result: QueryResult, limit: number): boolean {
  if (limit <= 0) return false;
  if (result.resultType === 'vector') return result.samples.length > limit;
  if (result.resultType === 'matrix') return result.series.length > limit;
  return false;
}

/** A float seconds value as encoding/json writes float64(t)/1000 (scalar and string results). */
function jsonSeconds(ms: number): string {
  return JSON.stringify(ms / 1000);
}

/**
 * Writes the `result` array of QueryData, yielding after each series so that full chunks can be sent
 * before the next series is written.
 */
function* writeResult(out: ByteChunks, result: QueryResult, limit: number): Generator<void> {
  switch (result.resultType) {
    case 'scalar':
      out.ascii(`[${jsonSeconds(result.t)},"${formatFloat(result.v)}"]`);
      return;
    case 'string':
      out.text(`[${jsonSeconds(result.t)},${jsonString(result.v)}]`);
      return;
    case 'vector': {
      const n = limit > 0 ? Math.min(limit, result.samples.length) : result.samples.length;
      out.byte(0x5b);
      for (let i = 0; i < n; i++) {
        const s = result.samples[i];
        if (i > 0) out.byte(COMMA);
        out.ascii('{"metric":');
        out.text(labelsJson(s.labels));
        out.ascii(',"value":[');
        out.timestamp(s.t);
        out.ascii(',"');
        out.ascii(formatSampleValue(s.v));
        out.ascii('"]}');
        if ((i & 1023) === 1023) yield;
      }
      out.byte(0x5d);
      return;
    }
    case 'matrix': {
      const n = limit > 0 ? Math.min(limit, result.series.length) : result.series.length;
      const texts = new TimestampTexts();
      out.byte(0x5b);
      for (let k = 0; k < n; k++) {
        const { labels, timestamps, values } = result.series[k];
        if (k > 0) out.byte(COMMA);
        out.ascii('{"metric":');
        out.text(labelsJson(labels));
        if (timestamps.length > 0) {
          out.ascii(',"values":[');
          out.points(timestamps, values, texts);
          out.byte(0x5d);
        }
        out.byte(0x7d);
        yield;
      }
      out.byte(0x5d);
      return;
    }
  }
}

/** The `result` array alone, as a string (tests, and callers that embed it). */
export function resultJson(result: QueryResult, limit = 0): { json: string; truncated: boolean } {
  const out = new ByteChunks(64 * 1024);
  const steps = writeResult(out, result, limit);
  while (!steps.next().done);
  return { json: Buffer.concat(out.finish()).toString(), truncated: truncatedByLimit(result, limit) };
}

/**
 * {"status":"success","data":{"resultType":…,"result":…},"warnings":[…],"infos":[…]} in chunks of
 * about 1 MiB; empty annotation lists are left out, as in Prometheus.
 */
export function* successBody(
  result: QueryResult,
  limit: number,
  warnings: readonly string[],
  infos: readonly string[]
): Generator<Buffer> {
  const out = new ByteChunks();
  out.ascii(`{"status":"success","data":{"resultType":"${result.resultType}","result":`);
  const steps = writeResult(out, result, limit);
  while (!steps.next().done) yield* out.take();
  out.byte(0x7d);
  if (warnings.length > 0) out.text(`,"warnings":[${warnings.map((w) => jsoniterString(w)).join(',')}]`);
  if (infos.length > 0) out.text(`,"infos":[${infos.map((w) => jsoniterString(w)).join(',')}]`);
  out.byte(0x7d);
  yield* out.finish();
}
