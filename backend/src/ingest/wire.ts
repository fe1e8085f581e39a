/**
 * Protobuf wire-format reading for the hand-written remote-write decoders (decode-v1.ts, decode-v2.ts).
 * Everything works on the Snappy-decoded bytes in place: no per-field objects, no Buffers. Stricter than
 * the generated ts-proto decoder it replaces, which read past a nested message's end and stopped at
 * field number 0: here a field must end within its message, and field number 0, a stray end-group and
 * varints longer than 10 bytes are errors.
 */

/** A structural protobuf error; the decoders turn it into a 400 naming the message type. */
export class WireError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** Nested groups deeper than this are refused (skipping them recurses). */
const MAX_GROUP_DEPTH = 100;

/**
 * A cursor over `buf`. Positions are absolute; callers pass the end of the message they are in, so a
 * field can never run past its enclosing message.
 */
export class WireReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /**
   * High and low 32 bits of the last `varint64()`, as signed int32 (V8 keeps those as small integers;
   * unsigned halves above 2^31 would be boxed on every store).
   */
  hi = 0;
  lo = 0;

  reset(buf: Uint8Array): void {
    this.buf = buf;
    this.pos = 0;
  }

  /** A varint truncated to its low 32 bits, unsigned (protobuf's uint32 rule). */
  uint32(end: number): number {
    const buf = this.buf;
    let p = this.pos;
    if (p < end && buf[p] < 0x80) {
      this.pos = p + 1;
      return buf[p];
    }
    let x = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (p >= end) throw new WireError('truncated varint');
      const b = buf[p++];
      if (shift < 32) x |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        return x >>> 0;
      }
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A varint into `hi`/`lo` (two's complement halves). */
  varint64(end: number): void {
    const buf = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= end) throw new WireError('truncated varint');
      const b = buf[p++];
      const bits = b & 0x7f;
      if (i < 4) {
        lo |= bits << (7 * i);
      } else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else {
        hi |= bits << (7 * i - 32);
      }
      if (b < 0x80) {
        this.pos = p;
        this.lo = lo | 0;
        this.hi = hi | 0;
        return;
      }
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A field's length, checked against the end of the enclosing message. */
  length(end: number): number {
    const n = this.uint32(end);
    if (n > end - this.pos) throw new WireError(`field length ${n} runs past the end of its message`);
    return n;
  }

  /** Reads a tag; refuses field number 0. */
  tag(end: number): number {
    const t = this.uint32(end);
    if (t >>> 3 === 0) throw new WireError('field number 0');
    return t;
  }

  /** Skips the value of a field whose tag was just read (an unknown field, or a known one of another type). */
  skip(tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64(end);
        return;
      case WIRE_FIXED64:
        this.advance(8, end);
        return;
      case WIRE_LEN: {
        const n = this.length(end); // read before `pos`: `pos += length()` would add to the old pos
        this.pos += n;
        return;
      }
      case WIRE_FIXED32:
        this.advance(4, end);
        return;
      case WIRE_START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw new WireError('groups nested too deeply');
        for (;;) {
          if (this.pos >= end) throw new WireError('unterminated group');
          const t = this.tag(end);
          if ((t & 7) === WIRE_END_GROUP) {
            if (t >>> 3 !== tag >>> 3) throw new WireError('mismatched end group');
            return;
          }
          this.skip(t, end, depth + 1);
        }
      }
      case WIRE_END_GROUP:
        throw new WireError('unexpected end group');
      default:
        throw new WireError(`invalid wire type ${tag & 7}`);
    }
  }

  /** Checks that [pos, end) is a well-formed sequence of fields (for messages we count but do not read). */
  scan(end: number): void {
    while (this.pos < end) this.skip(this.tag(end), end);
  }

  advance(n: number, end: number): void {
    if (n > end - this.pos) throw new WireError('truncated fixed-size field');
    this.pos += n;
  }
}

/** The int64 of the halves `hi`/`lo` (int32 or uint32) as a number when |value| < 2^52 (timestamps), else NaN. */
export function int64Small(hi: number, lo: number): number {
  hi |= 0;
  if (hi >= 0 && hi < 0x100000) return hi * 4294967296 + (lo >>> 0);
  if (hi < 0 && hi >= -0x100000) {
    // negative: -(2^64 - value), with the magnitude at most 2^52
    const mHi = ~hi >>> 0;
    const mLo = (~lo + 1) >>> 0;
    const m = (mLo === 0 ? mHi + 1 : mHi) * 4294967296 + mLo;
    return m < 2 ** 52 ? -m : NaN;
  }
  return NaN;
}

/** The exact int64 of the halves `hi`/`lo`, for error messages. */
export function int64String(hi: number, lo: number): string {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}
