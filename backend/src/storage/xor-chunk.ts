/**
 * The Prometheus XOR ("Gorilla") chunk encoding, implemented from its description:
 *
 *   header   2 bytes, big-endian sample count
 *   sample 0 signed varint timestamp (zig-zag), then the raw 64 float bits
 *   sample 1 unsigned varint Δt, then the value XOR-encoded
 *   sample n delta-of-delta timestamp: '0' (dod = 0) | '10' + 14 bits | '110' + 17 | '1110' + 20 | '1111' + 64,
 *            then the value XOR-encoded
 *   value    '0' when equal to the previous value; else '1' then either '0' + the meaningful bits inside
 *            the previous leading/trailing-zero window, or '1' + 5 bits leading zeros + 6 bits significant
 *            bit count (64 written as 0) + the significant bits
 *
 * Timestamps are integer milliseconds held in JS numbers; they must be safe integers with |t| < 2^52 so
 * the zig-zag varint stays exact. Float bits travel as unsigned 32-bit halves (no BigInt).
 */
import { BitReader, BitWriter } from './bitstream';
import { floatFromBits, hiBits, loadFloat, loBits, storeBits } from './float-bits';

export const SAMPLES_PER_CHUNK = 120;
const TWO32 = 4294967296;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function writeUvarint(w: BitWriter, x: number): void {
  while (x >= 128) {
    w.writeByte((x % 128) | 0x80);
    x = Math.floor(x / 128);
  }
  w.writeByte(x);
}

function readUvarint(r: BitReader): number {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = r.readByte();
    x += (b & 0x7f) * mul;
    if (b < 0x80) {
      return x;
    }
    mul *= 128;
  }
  throw new Error('varint overflow in chunk');
}

function writeVarint(w: BitWriter, x: number): void {
  writeUvarint(w, x >= 0 ? 2 * x : -2 * x - 1);
}

function readVarint(r: BitReader): number {
  const ux = readUvarint(r);
  return ux % 2 === 0 ? ux / 2 : -(ux + 1) / 2;
}

/** Prometheus' range check for an n-bit delta-of-delta: -(2^(n-1) - 1) ≤ x ≤ 2^(n-1). */
function fitsBits(x: number, n: number): boolean {
  const half = 1 << (n - 1);
  return x >= -(half - 1) && x <= half;
}

function writeInt64(w: BitWriter, x: number): void {
  const neg = x < 0;
  const a = neg ? -x : x;
  let hi = Math.floor(a / TWO32) >>> 0;
  let lo = (a % TWO32) >>> 0;
  if (neg) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  w.writeBits(hi, 32);
  w.writeBits(lo, 32);
}

function readInt64(r: BitReader): number {
  const hi = r.readBits(32);
  const lo = r.readBits(32);
  return hi >= 0x80000000 ? (hi - TWO32) * TWO32 + lo : hi * TWO32 + lo;
}

export class XorChunk {
  private readonly w = new BitWriter(64);
  private count = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0xff;
  private trailing = 0;
  minTime = 0;
  maxTime = 0;

  constructor() {
    this.w.writeByte(0);
    this.w.writeByte(0);
  }

  get numSamples(): number {
    return this.count;
  }

  /** Appends a sample; `t` must be greater than or equal to the previous timestamp. */
  append(t: number, v: number): void {
    loadFloat(v);
    this.appendBits(t, hiBits(), loBits());
  }

  /** Appends a sample given as the two unsigned 32-bit halves of its float64 bits. */
  appendBits(t: number, hi: number, lo: number): void {
    const w = this.w;
    if (this.count === 0) {
      writeVarint(w, t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.minTime = t;
    } else if (this.count === 1) {
      const delta = t - this.t;
      writeUvarint(w, delta);
      this.writeValue(hi, lo);
      this.tDelta = delta;
    } else {
      const delta = t - this.t;
      const dod = delta - this.tDelta;
      if (dod === 0) {
        w.writeBits(0, 1);
      } else if (fitsBits(dod, 14)) {
        w.writeBits(0b10, 2);
        w.writeBits(dod & 0x3fff, 14);
      } else if (fitsBits(dod, 17)) {
        w.writeBits(0b110, 3);
        w.writeBits(dod & 0x1ffff, 17);
      } else if (fitsBits(dod, 20)) {
        w.writeBits(0b1110, 4);
        w.writeBits(dod & 0xfffff, 20);
      } else {
        w.writeBits(0b1111, 4);
        writeInt64(w, dod);
      }
      this.writeValue(hi, lo);
      this.tDelta = delta;
    }
    this.t = t;
    this.maxTime = t;
    this.vHi = hi;
    this.vLo = lo;
    this.count++;
    w.setByte(0, this.count >>> 8);
    w.setByte(1, this.count & 0xff);
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const dHi = (hi ^ this.vHi) >>> 0;
    const dLo = (lo ^ this.vLo) >>> 0;
    if (dHi === 0 && dLo === 0) {
      w.writeBits(0, 1);
      return;
    }
    w.writeBits(1, 1);
    let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
    const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
    if (leading >= 32) {
      leading = 31; // 5 bits only
    }
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBits(0, 1);
      writeShifted(w, dHi, dLo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    w.writeBits(1, 1);
    w.writeBits(leading, 5);
    const sig = 64 - leading - trailing;
    w.writeBits(sig & 63, 6);
    writeShifted(w, dHi, dLo, trailing, sig);
  }

  /** The encoded bytes (a live view; copy before the chunk is appended to again). */
  bytes(): Uint8Array {
    return this.w.view();
  }

  toBytes(): Uint8Array {
    return this.w.toBytes();
  }
}

/** Writes the `n` bits of (hi:lo >>> shift). */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let sHi: number;
  let sLo: number;
  if (shift === 0) {
    sHi = hi;
    sLo = lo;
  } else if (shift < 32) {
    sLo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    sHi = hi >>> shift;
  } else {
    sLo = hi >>> (shift - 32);
    sHi = 0;
  }
  w.writeBits64(sHi, sLo, n);
}

/** Number of samples recorded in a chunk's header. */
export function chunkSampleCount(bytes: Uint8Array): number {
  return (bytes[0] << 8) | bytes[1];
}

/**
 * Sequential decoder. Call `next()` until it returns false; `t` and the value bits (`hi`, `lo`) then
 * describe the current sample. `value()` materialises the float.
 */
export class XorIterator {
  private readonly r: BitReader;
  private readonly total: number;
  private read = 0;
  t = 0;
  hi = 0;
  lo = 0;
  private tDelta = 0;
  private leading = 0;
  private trailing = 0;

  constructor(bytes: Uint8Array) {
    this.total = chunkSampleCount(bytes);
    this.r = new BitReader(bytes.subarray(2));
  }

  next(): boolean {
    if (this.read >= this.total) {
      return false;
    }
    const r = this.r;
    if (this.read === 0) {
      this.t = readVarint(r);
      this.hi = r.readBits(32);
      this.lo = r.readBits(32);
    } else if (this.read === 1) {
      this.tDelta = readUvarint(r);
      this.t += this.tDelta;
      this.readValue();
    } else {
      // prefix: up to four 1 bits terminated by a 0 (the fourth 1 needs no terminator)
      let ones = 0;
      while (ones < 4 && r.readBit() === 1) ones++;
      let dod = 0;
      if (ones === 1) dod = signExtend(r.readBits(14), 14);
      else if (ones === 2) dod = signExtend(r.readBits(17), 17);
      else if (ones === 3) dod = signExtend(r.readBits(20), 20);
      else if (ones === 4) dod = readInt64(r);
      this.tDelta += dod;
      this.t += this.tDelta;
      this.readValue();
    }
    this.read++;
    return true;
  }

  private readValue(): void {
    const r = this.r;
    if (r.readBit() === 0) {
      return; // unchanged
    }
    if (r.readBit() === 1) {
      this.leading = r.readBits(5);
      let sig = r.readBits(6);
      if (sig === 0) {
        sig = 64;
      }
      this.trailing = 64 - this.leading - sig;
    }
    const sig = 64 - this.leading - this.trailing;
    let hi = 0;
    let lo: number;
    if (sig > 32) {
      hi = r.readBits(sig - 32);
      lo = r.readBits(32);
    } else {
      lo = r.readBits(sig);
    }
    const s = this.trailing;
    let dHi: number;
    let dLo: number;
    if (s === 0) {
      dHi = hi;
      dLo = lo;
    } else if (s < 32) {
      dHi = ((hi << s) | (lo >>> (32 - s))) >>> 0;
      dLo = (lo << s) >>> 0;
    } else {
      dHi = (lo << (s - 32)) >>> 0;
      dLo = 0;
    }
    this.hi = (this.hi ^ dHi) >>> 0;
    this.lo = (this.lo ^ dLo) >>> 0;
  }

  value(): number {
    return floatFromBits(this.hi, this.lo);
  }

  /** Stores the current value bit-exactly into `out32` (a Uint32Array view of a Float64Array) at `index`. */
  storeValue(out32: Uint32Array, index: number): void {
    storeBits(out32, index, this.hi, this.lo);
  }
}

function signExtend(bits: number, n: number): number {
  return bits > 1 << (n - 1) ? bits - (1 << n) : bits;
}
